package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var snakeKey = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// assertSnakeCase fails t for every key of the JSON document doc (one
// value, or JSON lines when lines is set) that is not snake_case, and for
// a seed that is not a string (seeds above 2^53 do not survive a float).
func assertSnakeCase(t *testing.T, what string, doc []byte, lines bool) {
	t.Helper()
	docs := [][]byte{doc}
	if lines {
		docs = nil
		sc := bufio.NewScanner(strings.NewReader(string(doc)))
		sc.Buffer(nil, 1<<24)
		for sc.Scan() {
			docs = append(docs, append([]byte(nil), sc.Bytes()...))
		}
	}
	if len(docs) == 0 || len(docs[0]) == 0 {
		t.Errorf("%s: no JSON", what)
	}
	for _, d := range docs {
		var v any
		if err := json.Unmarshal(d, &v); err != nil {
			t.Errorf("%s: not JSON: %v", what, err)
			return
		}
		walkSnake(t, what, v, "")
	}
}

func walkSnake(t *testing.T, what string, v any, path string) {
	t.Helper()
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if !snakeKey.MatchString(k) {
				t.Errorf("%s: key %s.%s is not snake_case", what, path, k)
			}
			if strings.HasSuffix(k, "seed") {
				if _, ok := e.(string); !ok {
					t.Errorf("%s: %s.%s is %T, want a string", what, path, k, e)
				}
			}
			walkSnake(t, what, e, path+"."+k)
		}
	case []any:
		for _, e := range x {
			walkSnake(t, what, e, path+"[]")
		}
	}
}

// Every JSON document the command writes, to stdout or to files, is
// snake_case: batch (and its trace), sweep and merge files, bench,
// replay-session and whatif (the twin's API has its own test in
// twin/api).
func TestEveryJSONOutputIsSnakeCase(t *testing.T) {
	dir := t.TempDir()
	trace := filepath.Join(dir, "trace.jsonl")
	r := batch(t, "--json", "--trace", trace)
	assertSnakeCase(t, "batch --json", []byte(r.stdout), false)
	b, err := os.ReadFile(trace)
	if err != nil {
		t.Fatal(err)
	}
	assertSnakeCase(t, "batch --trace", b, true)

	file := writeFile(t, "small.yaml", smallSweep)
	shards := filepath.Join(dir, "shards")
	for _, s := range []string{"1/2", "2/2"} {
		if r := lightsout(t, "sweep", file, "--shard", s, "--out", shards, "--workers", "1"); r.code != exitOK {
			t.Fatalf("sweep --shard %s: %d\n%s", s, r.code, r.stderr)
		}
	}
	merged := filepath.Join(dir, "merged")
	if r := lightsout(t, "merge", shards, "--out", merged); r.code != exitOK {
		t.Fatalf("merge: %d\n%s", r.code, r.stderr)
	}
	n := 0
	for _, root := range []string{shards, merged} {
		err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			n++
			assertSnakeCase(t, p, b, false)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d sweep and merge JSON files", n)
	if n < 3 {
		t.Errorf("%d JSON files in the sweep's and merge's outputs, want them all walked", n)
	}

	out, err := runBenchCmd(t, append([]string{"--json"}, tinyBench...)...)
	if err != nil {
		t.Fatal(err)
	}
	assertSnakeCase(t, "bench --json", []byte(out), false)

	log := writeFile(t, "session.json", `{"config": "demo-line", "seed": "5", "until_s": 600,
	  "commands": [{"at_s": 60, "kind": "break", "line": 1, "target": "test", "server": 1}]}`)
	r = lightsout(t, "replay-session", log)
	if r.code != exitOK {
		t.Fatalf("replay-session: %d\n%s", r.code, r.stderr)
	}
	assertSnakeCase(t, "replay-session", []byte(r.stdout), false)

	srv := whatIfTwin(t, true)
	r = whatIf(t, "--twin", srv.URL, "--buffer", "test=8", "--replications", "2", "--json")
	if r.code != exitOK {
		t.Fatalf("whatif: %d\n%s", r.code, r.stderr)
	}
	assertSnakeCase(t, "whatif --json", []byte(r.stdout), false)
}
