package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// twinURL checks --twin: the base URL of a running twin's HTTP API.
func twinURL(raw string) (*url.URL, error) {
	base, err := url.Parse(raw)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, badInput("--twin %q: want an http:// or https:// URL of the twin's HTTP API", raw)
	}
	return base, nil
}

// postTwin posts v as JSON to the route path of the twin's API at base and
// returns the answer's status and body (at most limit bytes), waiting at
// most timeout.
func postTwin(ctx context.Context, base *url.URL, path string, v any, timeout time.Duration, limit int64) (int, []byte, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return 0, nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	endpoint := base.JoinPath(path).String()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return 0, nil, badInput("--twin %q: %v", base, err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return 0, nil, fmt.Errorf("no answer from the twin at %s within %v", endpoint, timeout)
		}
		return 0, nil, fmt.Errorf("asking the twin at %s: %w", endpoint, err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, limit))
	if err != nil {
		return 0, nil, fmt.Errorf("reading the twin's answer: %w", err)
	}
	return resp.StatusCode, answer, nil
}
