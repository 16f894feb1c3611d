package main

import (
	"fmt"
	"os"
	"path/filepath"
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
