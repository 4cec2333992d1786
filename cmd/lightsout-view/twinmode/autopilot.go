package twinmode

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lightsout-sim/lightsout/cmd/lightsout-view/scene"
	"github.com/lightsout-sim/lightsout/twin/autopilot"
)

// maxAutopilotBody bounds an /api/autopilot answer the view reads.
const maxAutopilotBody = 4 << 20

// NoAutopilot is the note of a twin that runs no autopilot (its
// /api/autopilot answers 404).
const NoAutopilot = "the twin runs no autopilot"

// AutopilotPoll reads a twin host's autopilot over HTTP: it asks GET
// <base>/api/autopilot?since=SEQ now and then, in a goroutine of its own,
// and keeps the status and the decisions not yet taken. It is a
// scene.PilotSource: Since and Status never block on the network.
type AutopilotPoll struct {
	url    string
	client *http.Client
	every  time.Duration

	mu   sync.Mutex
	st   scene.PilotStatus
	ds   []autopilot.Decision // fetched, oldest first, at most scene.FeedLen
	last uint64               // the Seq of the latest fetched

	cancel context.CancelFunc
	done   chan struct{}
}

// NewAutopilotPoll returns a poll of the twin whose HTTP API is at base
// ("http://127.0.0.1:8080"), asking every interval once started; client
// nil means a client with a 5 s timeout.
func NewAutopilotPoll(base string, every time.Duration, client *http.Client) (*AutopilotPoll, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%q: want http://host:port or https://host:port", base)
	}
	if client == nil {
		client = &http.Client{Timeout: 5 * time.Second}
	}
	return &AutopilotPoll{url: strings.TrimRight(base, "/") + "/api/autopilot", client: client, every: every,
		st: scene.PilotStatus{Note: "asking the twin for its autopilot"}}, nil
}

// Start asks at once and then every interval until Close.
func (p *AutopilotPoll) Start() {
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel, p.done = cancel, make(chan struct{})
	go func() {
		defer close(p.done)
		t := time.NewTicker(p.every)
		defer t.Stop()
		for {
			p.Poll(ctx)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
}

// Close stops the polling and waits for it to end.
func (p *AutopilotPoll) Close() {
	if p.cancel != nil {
		p.cancel()
		<-p.done
		p.cancel = nil
	}
}

// Poll asks the twin once for the decisions after the latest fetched and
// keeps what it answers (Start calls it; tests call it directly).
func (p *AutopilotPoll) Poll(ctx context.Context) {
	p.mu.Lock()
	since := p.last
	p.mu.Unlock()
	st, err := p.fetch(ctx, since)
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case errors.Is(err, errNoAutopilot):
		p.st = scene.PilotStatus{Note: NoAutopilot}
		return
	case err != nil:
		p.st.Note = "twin: " + err.Error()
		return
	}
	if st.DecisionsTotal < p.last { // the twin started afresh
		p.last, p.ds = 0, p.ds[:0]
	}
	p.st = scene.PilotStatus{Policy: st.Policy, Held: st.Held, RecommendOnly: st.RecommendOnly, MaxPerHour: st.MaxPerHour, Stats: st.Stats}
	for _, d := range st.Decisions {
		if d.Seq <= p.last {
			continue
		}
		p.last = d.Seq
		if len(p.ds) == scene.FeedLen {
			copy(p.ds, p.ds[1:])
			p.ds = p.ds[:scene.FeedLen-1]
		}
		p.ds = append(p.ds, d)
	}
}

var errNoAutopilot = errors.New(NoAutopilot)

// fetch asks GET /api/autopilot?since=since.
func (p *AutopilotPoll) fetch(ctx context.Context, since uint64) (*autopilot.Status, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.url+"?since="+strconv.FormatUint(since, 10), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := p.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return nil, errNoAutopilot
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("GET /api/autopilot: %s", resp.Status)
	}
	var st autopilot.Status
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxAutopilotBody)).Decode(&st); err != nil {
		return nil, fmt.Errorf("GET /api/autopilot: %w", err)
	}
	return &st, nil
}

// Since implements scene.PilotSource: the decisions fetched after seq.
func (p *AutopilotPoll) Since(seq uint64, dst []autopilot.Decision) []autopilot.Decision {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, d := range p.ds {
		if d.Seq > seq {
			dst = append(dst, d)
		}
	}
	return dst
}

// Status implements scene.PilotSource.
func (p *AutopilotPoll) Status() scene.PilotStatus {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.st
}
