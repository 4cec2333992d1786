package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/lightsout-sim/lightsout/twin/experiment"
)

// writeReplicationsCSV writes `batch --csv --per-replication`: a header
// row, then one row per replication (replication counts from 1) with every
// number of the line the JSON report's runs hold for it: the top-level
// figures and those of its objects (littles_law, upkeep, autopilot), named
// with their object as a prefix (littles_law_rel_err). The per-station and
// per-arm lists stay in the JSON. Numbers are plain decimals; seed is the
// replication's own seed.
func writeReplicationsCSV(w io.Writer, rep *experiment.Report) error {
	var header []string
	seen := map[string]bool{}
	rows := make([]map[string]string, len(rep.Runs))
	for i, run := range rep.Runs {
		b, err := json.Marshal(run)
		if err != nil {
			return err
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		var doc map[string]any
		if err := dec.Decode(&doc); err != nil {
			return err
		}
		row := map[string]string{"replication": strconv.Itoa(i + 1)}
		var walk func(prefix string, m map[string]any, keys []string)
		walk = func(prefix string, m map[string]any, keys []string) {
			for _, k := range keys {
				name := prefix + k
				switch v := m[k].(type) {
				case map[string]any:
					walk(name+"_", v, orderedKeys(b, v))
					continue
				case []any:
					continue
				case json.Number:
					row[name] = v.String()
				case string:
					row[name] = v
				case bool:
					row[name] = strconv.FormatBool(v)
				case nil:
					row[name] = ""
				default:
					row[name] = fmt.Sprint(v)
				}
				if !seen[name] {
					seen[name] = true
					header = append(header, name)
				}
			}
		}
		walk("", doc, orderedKeys(b, doc))
		rows[i] = row
	}
	cw := csv.NewWriter(w)
	cw.Write(append([]string{"replication"}, header...))
	for _, row := range rows {
		rec := []string{row["replication"]}
		for _, h := range header {
			rec = append(rec, row[h])
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

// orderedKeys returns the keys of m in the order they first appear in the
// JSON text b (the Go field order), so that columns follow the report.
func orderedKeys(b []byte, m map[string]any) []string {
	type pos struct {
		k string
		i int
	}
	var ps []pos
	for k := range m {
		ps = append(ps, pos{k, bytes.Index(b, []byte(strconv.Quote(k)+":"))})
	}
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && (ps[j].i < ps[j-1].i || ps[j].i == ps[j-1].i && ps[j].k < ps[j-1].k); j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
	keys := make([]string, len(ps))
	for i, p := range ps {
		keys[i] = p.k
	}
	return keys
}
