package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// latestName is the name under which a run that is not -quick also
// publishes its report, so that links to the newest figures, such as the
// repository README's, never go stale.
const latestName = "latest"

// publishLatest copies the report base+".md" to latest.md beside it, and each
// of the files it links, named base-<part> in linked, to latest-<part>, with
// the copy's links pointing at the copies. The latest-*.svg and
// latest-*.pprof of an earlier run go first, so that none outlives the run
// that made it.
func publishLatest(base string, linked []string) error {
	dir, prefix := filepath.Dir(base), filepath.Base(base)+"-"
	for _, pattern := range []string{"*.svg", "*.pprof"} {
		old, err := filepath.Glob(filepath.Join(dir, latestName+"-"+pattern))
		if err != nil {
			return err
		}
		for _, f := range old {
			if err := os.Remove(f); err != nil {
				return err
			}
		}
	}
	report, err := os.ReadFile(base + ".md")
	if err != nil {
		return err
	}
	md := string(report)
	for _, name := range linked {
		part, ok := strings.CutPrefix(name, prefix)
		if !ok {
			return fmt.Errorf("latest: %s is not named after the report %s.md", name, filepath.Base(base))
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		copyName := latestName + "-" + part
		if err := os.WriteFile(filepath.Join(dir, copyName), data, 0o644); err != nil {
			return err
		}
		md = strings.ReplaceAll(md, name, copyName)
	}
	return os.WriteFile(filepath.Join(dir, latestName+".md"), []byte(md), 0o644)
}

// outputParts are the ends of the names of every chart and profile that a
// run can write beside its report, after the report's name and a dash.
func outputParts() []string {
	parts := []string{profilePart("prebuilt")}
	for _, c := range chartKinds {
		parts = append(parts, c.name+".svg")
	}
	for _, store := range allStores {
		parts = append(parts, profilePart(store+" hit"), profilePart(store+" bare GET"))
	}
	return parts
}

// removeStale removes from dir the charts and profiles named prefix+<part>
// that are not in keep: those an earlier run wrote under the same name, such
// as a run of the same day on the same host that profiled other stores. It
// removes only names a run writes, so that the files of a host whose name
// starts like this one's stay.
func removeStale(dir, prefix string, keep []string) error {
	for _, part := range outputParts() {
		name := prefix + part
		if slices.Contains(keep, name) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}
