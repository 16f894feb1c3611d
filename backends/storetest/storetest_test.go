package storetest_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/plugcache/plugcache/backends"
	"github.com/plugcache/plugcache/backends/storetest"
)

// childEnv names the row of TestRunCatches that a child process runs.
const childEnv = "STORETEST_CHILD_ROW"

// TestRunCatches checks that Run passes a store that keeps the rules, and fails
// one that breaks a rule in the subtest that checks it. A failing Run fails its
// test, so each row runs Run in a child process and reads its verbose output.
func TestRunCatches(t *testing.T) {
	tests := []struct {
		name     string
		faults   faults
		wantFail string // the subtest that must fail; "" when Run must pass
	}{
		{"a store that keeps the rules passes", faults{}, ""},
		{"a miss that is not ErrNotFound", faults{missIsNil: true},
			"get_of_a_missing_key_is_ErrNotFound"},
		{"an empty value read as a miss", faults{emptyIsMiss: true},
			"values_of_any_bytes_round-trip/an_empty_value_is_found,_not_a_miss"},
		{"keys that meet past byte 250", faults{keysCutAt250: true},
			"keys_of_any_bytes_and_length_round-trip_and_stay_distinct/differing_only_past_byte_250:_a"},
		{"a ttl ignored", faults{ignoresTTL: true},
			"a_value_expires_after_its_ttl,_and_ttl_0_never_expires/ttl_100ms_is_gone"},
		{"a value past MaxValueSize taken", faults{noSizeLimit: true},
			"a_value_of_MaxValueSize+1_bytes_is_refused_with_ErrTooLarge"},
		{"an Add that overwrites", faults{addOverwrites: true},
			"add_writes_only_when_the_key_holds_nothing"},
		{"a Delete of a missing key that fails", faults{deleteMissingErrs: true},
			"delete_of_a_missing_key_is_not_an_error"},
		{"a panic on a cancelled context", faults{panicsOnCancelled: true},
			"calls_with_a_cancelled_context_return_without_hanging/Get"},
		{"a call that hangs while the server is down", faults{hangsWhenDown: true},
			"server_restart/calls_fail_with_ErrUnavailable_while_the_server_is_down/Get"},
		{"a store that does not recover after Restart", faults{staysDown: true},
			"server_restart/the_same_store_works_again_after_Restart"},
		{"a second Close that fails", faults{closeTwiceErrs: true},
			"calls_after_Close_fail_with_ErrUnavailable,_and_Close_again_returns_nil"},
		{"a store that works after Close", faults{worksAfterClose: true},
			"calls_after_Close_fail_with_ErrUnavailable,_and_Close_again_returns_nil/Get"},
	}

	if row := os.Getenv(childEnv); row != "" {
		for _, tt := range tests {
			if tt.name == row {
				runMemStore(t, tt.faults)
			}
		}
		return
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestRunCatches$", "-test.v", "-test.count=1")
			cmd.Env = append(os.Environ(), childEnv+"="+tt.name)
			out, err := cmd.CombinedOutput()
			switch {
			case tt.wantFail == "" && err != nil:
				t.Errorf("Run failed, want it to pass:\n%s", out)
			case tt.wantFail != "" && err == nil:
				t.Errorf("Run passed, want it to fail %s:\n%s", tt.wantFail, out)
			case tt.wantFail != "" && !strings.Contains(string(out), "--- FAIL: TestRunCatches/"+tt.wantFail):
				t.Errorf("Run failed, but not in %s:\n%s", tt.wantFail, out)
			}
		})
	}
}

// runMemStore runs the suite over a memStore with faults, killed and restarted
// by its down field.
func runMemStore(t *testing.T, f faults) {
	s := newMemStore(f)
	storetest.Run(t, storetest.Harness{
		New:         func(*testing.T) backends.Store { return s },
		Kill:        func(*testing.T) { s.setDown(true) },
		Restart:     func(*testing.T) { s.setDown(f.staysDown) },
		CallTimeout: 100 * time.Millisecond,
	})
}
