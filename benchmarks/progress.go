package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// progress shows on stderr what runs now, how many steps are done of how
// many, and the time left. On a terminal it redraws one line twice a second;
// elsewhere (CI logs, a file) it prints a plain line as each step starts.
// Its methods are safe for concurrent use.
type progress struct {
	w   io.Writer
	tty bool

	mu        sync.Mutex
	total     int
	done      int
	estTotal  time.Duration // the sum of every step's estimate
	estDone   time.Duration // of the steps done
	spent     time.Duration // the real time the steps done took
	name      string
	est       time.Duration
	stepStart time.Time
	stop      chan struct{}
	stopped   sync.WaitGroup
}

// newProgress writes to w, redrawing in place when tty is true.
func newProgress(w io.Writer, tty bool) *progress {
	return &progress{w: w, tty: tty}
}

// isTerminal reports whether f is a terminal rather than a pipe or a file.
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// begin announces total steps expected to take est together.
func (p *progress) begin(total int, est time.Duration) {
	p.mu.Lock()
	p.total, p.estTotal = total, est
	p.mu.Unlock()
	if p.tty {
		p.stop = make(chan struct{})
		p.stopped.Go(func() {
			tick := time.NewTicker(500 * time.Millisecond)
			defer tick.Stop()
			for {
				select {
				case <-p.stop:
					return
				case <-tick.C:
					p.mu.Lock()
					p.draw()
					p.mu.Unlock()
				}
			}
		})
	}
}

// step ends the step running, if any, and starts the next, named name and
// expected to take est.
func (p *progress) step(name string, est time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.endStep()
	p.name, p.est, p.stepStart = name, est, time.Now()
	if p.tty {
		p.draw()
		return
	}
	fmt.Fprintf(p.w, "[%*d/%d] %s (%s left)\n", len(fmt.Sprint(p.total)), p.done+1, p.total, name, p.left())
}

func (p *progress) endStep() {
	if p.name == "" {
		return
	}
	p.done++
	p.estDone += p.est
	p.spent += time.Since(p.stepStart)
	p.name = ""
}

// left estimates the time left: the estimates of the steps to come, scaled
// by how far the real time of the steps done was off theirs.
func (p *progress) left() time.Duration {
	scale := 1.0
	if p.estDone > 0 && p.spent > 0 {
		scale = float64(p.spent) / float64(p.estDone)
	}
	rest := p.estTotal - p.estDone
	if p.name != "" {
		rest -= min(time.Since(p.stepStart), p.est)
	}
	return time.Duration(float64(max(rest, 0)) * scale).Round(time.Second)
}

// draw redraws the terminal line; p.mu is held.
func (p *progress) draw() {
	const width = 24
	filled := 0
	if p.total > 0 {
		filled = width * p.done / p.total
	}
	name := p.name
	if len(name) > 40 {
		name = name[:39] + "…"
	}
	fmt.Fprintf(p.w, "\r\033[K[%s%s] %d/%d %-40s %s left",
		strings.Repeat("#", filled), strings.Repeat("-", width-filled), p.done, p.total, name, p.left())
}

// warn prints msg on a line of its own, under the bar on a terminal.
func (p *progress) warn(msg string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty {
		fmt.Fprint(p.w, "\r\033[K")
	}
	fmt.Fprintln(p.w, msg)
	if p.tty && p.name != "" {
		p.draw()
	}
}

// finish ends the last step and the bar.
func (p *progress) finish() {
	if p.stop != nil {
		close(p.stop)
		p.stopped.Wait()
		p.stop = nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.endStep()
	if p.tty {
		p.draw()
		fmt.Fprintln(p.w)
	}
	fmt.Fprintf(p.w, "done: %d steps in %s\n", p.done, p.spent.Round(time.Second))
}
