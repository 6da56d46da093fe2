// Bench-only Go baseline for the checksum figures (stdlib only, no module
// download): what Flagger does per tracked config, `json.Marshal(data)` then
// `sha256`, timed on one ConfigMap/Secret JSON file.
//
//	go run benches/go/main.go FILE [-iterations N]
//
// prints `MBps=<marshal+sha256> us_per_op=<y> checksum=<c> full_MBps=<unmarshal+marshal+sha256>
// sha256_MBps=<bare sha256>`, MB = 10^6 bytes of json.Marshal output (the bytes hashed), as
// js/bench/checksum.js counts them; CPU time, best of 5 rounds. `full` also decodes the object from its JSON text each time,
// which is what canary-tracker's bytes path does. No assertions.
package main

import (
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"syscall"
	"time"
)

type configMap struct {
	Kind string            `json:"kind"`
	Data map[string]string `json:"data"`
}

type secret struct {
	Kind       string            `json:"kind"`
	Data       map[string][]byte `json:"data"`
	StringData map[string]string `json:"stringData"`
}

// data decodes the object as client-go would and returns what Flagger marshals.
func data(text []byte) (interface{}, error) {
	var cm configMap
	if err := json.Unmarshal(text, &cm); err != nil {
		return nil, err
	}
	if cm.Kind != "Secret" {
		return cm.Data, nil
	}
	var s secret
	if err := json.Unmarshal(text, &s); err != nil {
		return nil, err
	}
	for k, v := range s.StringData {
		if s.Data == nil {
			s.Data = map[string][]byte{}
		}
		s.Data[k] = []byte(v)
	}
	return s.Data, nil
}

func checksum(d interface{}) (string, int) {
	b, _ := json.Marshal(d)
	sum := sha256.Sum256(b)
	return fmt.Sprintf("%x", sum[:8]), len(b)
}

// cpuTime is this process's CPU time (user + system): on a shared machine,
// time spent waiting for a core is not the code's (js/bench counts the same).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// usPerOp is the best mean CPU µs per call over 5 rounds of n/5 calls.
func usPerOp(n int, f func()) float64 {
	f()
	per := n/5 + 1
	best := -1.0
	for r := 0; r < 5; r++ {
		start := cpuTime()
		for i := 0; i < per; i++ {
			f()
		}
		us := float64((cpuTime() - start).Microseconds()) / float64(per)
		if best < 0 || us < best {
			best = us
		}
	}
	return best
}

func main() {
	iterations := flag.Int("iterations", 200, "timed calls per figure")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: go run benches/go/main.go FILE [-iterations N]")
		os.Exit(1)
	}
	text, err := os.ReadFile(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	d, err := data(text)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	sum, n := checksum(d)
	marshalled, _ := json.Marshal(d)
	mb := float64(n)
	us := usPerOp(*iterations, func() { checksum(d) })
	full := usPerOp(*iterations, func() {
		d2, _ := data(text)
		checksum(d2)
	})
	sha := usPerOp(*iterations, func() { sha256.Sum256(marshalled) })
	fmt.Printf("MBps=%.1f us_per_op=%.2f checksum=%s full_MBps=%.1f sha256_MBps=%.1f\n", mb/us, us, sum, mb/full, mb/sha)
}
