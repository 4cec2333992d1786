package twinmode

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/twin"
	"github.com/lightsout-sim/lightsout/twin/api"
	"github.com/lightsout-sim/lightsout/twin/sim"
)

// maxHistoryBody bounds an /api/history answer the view reads (a day of
// buckets is about 25 kB).
const maxHistoryBody = 1 << 20

// backfillRetry is how long the view waits before asking the twin for its
// history again, after a failure or while the twin has not yet counted
// the bucket the view attached in.
const backfillRetry = time.Second

// backfill is the link's side of filling the chart from the twin host's
// output history (GET /api/history): the view counts output itself only
// from when it attached, so it asks the twin for what came before, on a
// goroutine of its own, and merges the answer on the window's goroutine:
// at once the buckets before the one it attached in, and that one when
// the twin has counted it whole. It asks again for each attachment (the
// line restarted).
type backfill struct {
	url    string
	client *http.Client

	busy    bool               // a request is under way
	got     chan historyAnswer // its answer
	replied chan struct{}      // closed once its answer is in got
	after   time.Time          // no new request before (the link's clock)
	from    int64              // the goodHistory.from the last merge left; -1 none
	attach  int64              // the bucket the view attached in; -1 before the first merge
	done    bool               // merged whole for the current attachment
	fails   int                // failed requests in a row, for the log
	log     *zap.Logger
}

// historyAnswer is the outcome of one request.
type historyAnswer struct {
	doc *api.HistoryJSON
	err error
}

// BackfillFrom makes the link fill the chart, when it attaches to the
// line and whenever the line restarts, with the output history the twin
// host whose HTTP API is at base ("http://127.0.0.1:8080") serves at GET
// /api/history; client nil means one with a 5 s timeout. Call it before
// the first Refresh.
func (t *Link) BackfillFrom(base string, client *http.Client) error {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q: want http://host:port or https://host:port", base)
	}
	if client == nil {
		client = &http.Client{Timeout: 5 * time.Second}
	}
	b := &backfill{url: strings.TrimRight(base, "/") + "/api/history", client: client, got: make(chan historyAnswer, 1),
		from: -1, attach: -1, log: t.log}
	if b.log == nil {
		b.log = zap.NewNop()
	}
	t.back = b
	return nil
}

// Backfilled reports whether the chart holds the twin's history of the
// current attachment, the bucket the view attached in included.
func (t *Link) Backfilled() bool { return t.back != nil && t.back.done }

// AwaitHistory waits until the request for the twin's history under way,
// if any, is answered (the next Refresh merges the answer) or ctx ends.
// The window never waits; tests do.
func (t *Link) AwaitHistory(ctx context.Context) error {
	if t.back == nil || !t.back.busy {
		return nil
	}
	select {
	case <-t.back.replied:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// history counts the output counter count at mirrored time now, merges
// the twin's history when it has come, asks for it when it is due, and
// returns the chart's history (dst is reused). goodKnown says count is
// the good count (else the shipped one).
func (t *Link) history(now sim.Time, count int64, goodKnown bool, dst []float64) []float64 {
	b := t.back
	if b != nil && b.busy {
		select {
		case a := <-b.got:
			b.busy = false
			b.answer(a, &t.good, goodKnown, t.clock())
		default:
		}
	}
	dst = t.good.add(now, count, dst)
	if b == nil {
		return dst
	}
	if b.from >= 0 && t.good.from != b.from {
		// The line restarted (the view counts afresh): the history
		// merged is another run's.
		b.done, b.from, b.attach = false, -1, -1
	}
	if !b.done && !b.busy && !t.clock().Before(b.after) {
		b.busy = true
		replied := make(chan struct{})
		b.replied = replied
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			doc, err := b.fetch(ctx)
			b.got <- historyAnswer{doc, err}
			close(replied)
		}()
	}
	return dst
}

// answer merges a, the twin's answer, into h, and says when to ask again
// if it is not the whole of what the view needs.
func (b *backfill) answer(a historyAnswer, h *goodHistory, goodKnown bool, now time.Time) {
	b.after = now.Add(backfillRetry)
	if a.err != nil {
		if b.fails++; b.fails == 1 || b.fails%60 == 0 {
			b.log.Warn("twin: cannot read the twin's history for the chart", zap.String("url", b.url), zap.Error(a.err), zap.Int("tries", b.fails))
		}
		return
	}
	b.fails = 0
	if !h.started {
		return
	}
	if b.attach < 0 {
		b.attach = h.from - 1
	}
	whole := h.merge(a.doc, goodKnown, b.attach)
	b.from = h.from
	if whole {
		b.done = true
		b.log.Info("twin: chart backfilled from the twin", zap.Int("buckets", len(a.doc.Buckets)), zap.Int64("first_bucket", a.doc.FirstBucket))
	}
}

// fetch asks GET /api/history.
func (b *backfill) fetch(ctx context.Context) (*api.HistoryJSON, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := b.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error string `json:"error"`
		}
		_ = json.NewDecoder(io.LimitReader(resp.Body, 4096)).Decode(&e)
		return nil, fmt.Errorf("GET /api/history: %s %s", resp.Status, e.Error)
	}
	var doc api.HistoryJSON
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxHistoryBody)).Decode(&doc); err != nil {
		return nil, fmt.Errorf("GET /api/history: %w", err)
	}
	if doc.Bucket != twin.HistoryBucket {
		return nil, fmt.Errorf("GET /api/history: buckets of %v, want %v", doc.Bucket, twin.HistoryBucket)
	}
	return &doc, nil
}

// merge puts into h the buckets of the twin's history doc that came
// before the view attached: those before the bucket it attached in at
// once, and that bucket (which the view counted in part) as the twin
// counted it once the twin has counted it whole (until then, the larger
// of the two counts). The buckets after are the view's own. It reports
// whether the attachment bucket is in whole (or the twin knows nothing
// of it). goodKnown picks the good count (else shipped).
func (h *goodHistory) merge(doc *api.HistoryJSON, goodKnown bool, attach int64) (whole bool) {
	oldest := h.bucket - twin.HistoryLen + 1
	// Whole once both the twin and the view are past it (the view adds
	// to its buckets until then).
	whole = doc.Now >= sim.Time(attach+1)*twin.HistoryBucket && h.bucket > attach
	for _, bk := range doc.Buckets {
		if bk.Index > attach || bk.Index < oldest || bk.Index < doc.FirstBucket {
			continue
		}
		n := float64(bk.Shipped)
		if goodKnown && bk.Good != nil {
			n = float64(*bk.Good)
		}
		c := &h.counts[bk.Index%twin.HistoryLen]
		if bk.Index == attach && !whole {
			n = max(n, *c)
		}
		*c = n
	}
	if doc.FirstBucket <= attach {
		h.from = min(h.from, max(doc.FirstBucket, oldest))
	}
	return whole || doc.FirstBucket > attach
}
