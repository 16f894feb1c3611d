package main

import (
	"fmt"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// chart is one SVG beside the report.
type chart struct {
	title, file string
}

// writeCharts draws the report's charts as base-<name>.svg: HTTP hit
// throughput by store and size, HTTP hit latency percentiles by store, and
// the plugin client's Get hit throughput against callers and value size.
func writeCharts(base string, res *results) ([]chart, error) {
	var charts []chart
	for _, c := range chartKinds {
		p, err := c.draw(res)
		if err != nil {
			return charts, fmt.Errorf("%s chart: %w", c.name, err)
		}
		if p == nil {
			continue
		}
		title := c.title(res)
		p.Title.Text = title
		file := base + "-" + c.name + ".svg"
		if err := p.Save(8*vg.Inch, 4.5*vg.Inch, file); err != nil {
			return charts, fmt.Errorf("%s chart: %w", c.name, err)
		}
		charts = append(charts, chart{title: title, file: filepath.Base(file)})
	}
	return charts, nil
}

// chartKinds are the charts a report can have, each saved as
// <report>-<name>.svg. They are listed here, rather than in writeCharts
// alone, so that removeStale knows the name of every chart a run writes.
var chartKinds = []struct {
	name  string
	title func(*results) string
	draw  func(*results) (*plot.Plot, error)
}{
	{"throughput", func(*results) string { return "HTTP hit throughput by store and body size" }, throughputChart},
	{"latency", func(res *results) string {
		return fmt.Sprintf("HTTP hit latency by store, %s bodies", sizeName(res.cfg.sizes[0]))
	}, latencyChart},
	{"concurrency", func(res *results) string {
		return fmt.Sprintf("Get hit throughput vs callers, %s values", sizeName(res.cfg.sizes[0]))
	}, concurrencyChart},
	{"size", func(*results) string { return "Get hit throughput vs value size" }, sizeChart},
}

// throughputChart groups bars by body size: prebuilt, then each store's hit.
func throughputChart(res *results) (*plot.Plot, error) {
	if len(res.http) == 0 {
		return nil, nil
	}
	p := plot.New()
	p.Y.Label.Text = "requests/s"
	series := append([]string{""}, res.cfg.stores...)
	width := vg.Points(90 / float64(len(series)))
	for i, store := range series {
		var vs plotter.Values
		for _, size := range res.cfg.sizes {
			vs = append(vs, httpAt(res, store, size))
		}
		bars, err := plotter.NewBarChart(vs, width)
		if err != nil {
			return nil, err
		}
		bars.Color = plotutil.Color(i)
		bars.LineStyle.Width = 0
		bars.Offset = width * vg.Length(float64(i)-float64(len(series)-1)/2)
		p.Add(bars)
		p.Legend.Add(seriesName(store, " hit"), bars)
	}
	names := make([]string, len(res.cfg.sizes))
	for i, s := range res.cfg.sizes {
		names[i] = sizeName(s)
	}
	p.NominalX(names...)
	p.Legend.Top = true
	p.Y.Max *= legendRoom
	p.Y.Tick.Marker = wholeTicks{}
	return p, nil
}

// legendRoom raises a bar chart's top so that the legend clears the bars.
const legendRoom = 1.35

func seriesName(store, suffix string) string {
	if store == "" {
		return "prebuilt"
	}
	return store + suffix
}

// latencyChart shows p50, p90 and p99 of each HTTP hit at the first size.
func latencyChart(res *results) (*plot.Plot, error) {
	size := res.cfg.sizes[0]
	var names []string
	var pcts [3]plotter.Values
	for _, store := range append([]string{""}, res.cfg.stores...) {
		for _, r := range res.http {
			if r.size == size && r.store == store && (r.kind == kindHit || r.kind == kindPrebuilt) {
				names = append(names, seriesName(store, ""))
				pcts[0] = append(pcts[0], float64(r.sum.p50)/1e3)
				pcts[1] = append(pcts[1], float64(r.sum.p90)/1e3)
				pcts[2] = append(pcts[2], float64(r.sum.p99)/1e3)
			}
		}
	}
	if len(names) == 0 {
		return nil, nil
	}
	p := plot.New()
	p.Y.Label.Text = "latency (µs)"
	width := vg.Points(18)
	for i, label := range []string{"p50", "p90", "p99"} {
		bars, err := plotter.NewBarChart(pcts[i], width)
		if err != nil {
			return nil, err
		}
		bars.Color = plotutil.Color(i)
		bars.LineStyle.Width = 0
		bars.Offset = width * vg.Length(i-1)
		p.Add(bars)
		p.Legend.Add(label, bars)
	}
	p.NominalX(names...)
	p.Legend.Top = true
	p.Y.Max *= legendRoom
	p.Y.Tick.Marker = wholeTicks{}
	return p, nil
}

// concurrencyChart draws ops/s against callers, plugin solid and bare
// dashed, one colour per store, on log axes.
func concurrencyChart(res *results) (*plot.Plot, error) {
	size := res.cfg.sizes[0]
	var ticks []plot.Tick
	for _, c := range res.cfg.conc {
		ticks = append(ticks, plot.Tick{Value: float64(c), Label: fmt.Sprint(c)})
	}
	return lineChart(res, "callers", ticks, func(store string, v via) plotter.XYs {
		var xys plotter.XYs
		for _, c := range res.cfg.conc {
			if r := findOp(res, store, size, c); r != nil {
				xys = append(xys, plotter.XY{X: float64(c), Y: pick(r, v).opsPerSec})
			}
		}
		return xys
	})
}

// sizeChart draws ops/s against value size at the middle number of callers.
func sizeChart(res *results) (*plot.Plot, error) {
	conc := res.cfg.conc[len(res.cfg.conc)/2]
	var ticks []plot.Tick
	for _, size := range res.cfg.sizes {
		ticks = append(ticks, plot.Tick{Value: float64(size), Label: sizeName(size)})
	}
	p, err := lineChart(res, fmt.Sprintf("value size, %d callers", conc), ticks, func(store string, v via) plotter.XYs {
		var xys plotter.XYs
		for _, size := range res.cfg.sizes {
			if r := findOp(res, store, size, conc); r != nil {
				xys = append(xys, plotter.XY{X: float64(size), Y: pick(r, v).opsPerSec})
			}
		}
		return xys
	})
	return p, err
}

func lineChart(res *results, xLabel string, xTicks []plot.Tick, points func(store string, v via) plotter.XYs) (*plot.Plot, error) {
	p := plot.New()
	p.X.Label.Text, p.Y.Label.Text = xLabel, "Get hit ops/s (plugin solid, bare dashed)"
	p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	p.X.Tick.Marker, p.Y.Tick.Marker = plot.ConstantTicks(xTicks), rateTicks{}
	drawn := false
	for i, store := range res.cfg.stores {
		for _, v := range []via{viaPlugin, viaBare} {
			xys := points(store, v)
			if len(xys) == 0 {
				continue
			}
			line, dots, err := plotter.NewLinePoints(xys)
			if err != nil {
				return nil, err
			}
			line.Color, dots.Color = plotutil.Color(i), plotutil.Color(i)
			if v == viaBare {
				line.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
			} else {
				p.Legend.Add(store, line, dots)
			}
			p.Add(line, dots)
			drawn = true
		}
	}
	if !drawn {
		return nil, nil
	}
	p.Legend.Top, p.Legend.Left = true, false
	return p, nil
}

// wholeTicks are plot's default ticks, labelled without decimals.
type wholeTicks struct{}

func (wholeTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(lo, hi)
	for i, t := range ticks {
		if t.Label != "" {
			ticks[i].Label = fmt.Sprintf("%.0f", t.Value)
		}
	}
	return ticks
}

// rateTicks marks a log axis at powers of ten, labelled as rate writes
// them: 10k, 100k, 1M.
type rateTicks struct{}

func (rateTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := plot.LogTicks{Prec: -1}.Ticks(lo, hi)
	for i, t := range ticks {
		if t.Label != "" {
			ticks[i].Label = rate(t.Value)
		}
	}
	return ticks
}

func findOp(res *results, store string, size, conc int) *opResult {
	for i, r := range res.storeOps {
		if r.store == store && r.size == size && r.conc == conc && r.kind == opGetHit {
			return &res.storeOps[i]
		}
	}
	return nil
}

func pick(r *opResult, v via) summary {
	if v == viaBare {
		return r.bare
	}
	return r.plugin
}
