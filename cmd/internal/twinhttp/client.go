package twinhttp

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/spf13/pflag"
)

// ClientFlags are the values of the flags of a command that calls a
// twin's API. Register them, parse, then call [ClientFlags.Client].
type ClientFlags struct {
	// Twin is the base URL of the API, http:// or https://.
	Twin string
	// TokenFile holds the API token; empty: $LIGHTSOUT_API_TOKEN, if set.
	TokenFile string
	// CAFile holds the PEM certificates of the CAs that sign an https://
	// twin's certificate; empty: the system's.
	CAFile string
}

// Register adds --twin (defaulting to the API's default address),
// --api-token-file and --ca-file to fs.
func (f *ClientFlags) Register(fs *pflag.FlagSet) {
	fs.StringVar(&f.Twin, "twin", "http://"+DefaultAddr, "base URL of the twin's HTTP API ('lightsout twin --http'), http:// or https://")
	fs.StringVar(&f.TokenFile, "api-token-file", "", "file holding the twin's API token (default: $"+TokenEnv+")")
	fs.StringVar(&f.CAFile, "ca-file", "", "PEM file of the CA certificates that sign an https:// twin's certificate (default: the system's)")
}

// A Client calls a twin's API, sending its token when it has one.
type Client struct {
	// Base is the API's base URL.
	Base *url.URL
	// Token is the token sent, and where it came from.
	Token Token

	http *http.Client
}

// Client checks the flags and returns the client they describe, with
// every problem, each naming its flag: the client is good only without
// any.
func (f *ClientFlags) Client() (*Client, []string) {
	var problems []string
	c := &Client{http: &http.Client{}}
	base, err := url.Parse(f.Twin)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		problems = append(problems, fmt.Sprintf("--twin %q: want an http:// or https:// URL of the twin's HTTP API, e.g. http://%s", f.Twin, DefaultAddr))
	} else {
		c.Base = base
	}
	if c.Token, err = LoadToken(f.TokenFile); err != nil {
		problems = append(problems, err.Error())
	}
	if f.CAFile != "" {
		if c.Base != nil && c.Base.Scheme != "https" {
			problems = append(problems, fmt.Sprintf("--ca-file %s: --twin %s is not https://", f.CAFile, f.Twin))
		}
		pem, err := os.ReadFile(f.CAFile)
		roots := x509.NewCertPool()
		switch {
		case err != nil:
			problems = append(problems, fmt.Sprintf("--ca-file: %v", err))
		case !roots.AppendCertsFromPEM(pem):
			problems = append(problems, fmt.Sprintf("--ca-file %s: no PEM certificate found", f.CAFile))
		default:
			t := http.DefaultTransport.(*http.Transport).Clone()
			t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: roots}
			c.http.Transport = t
		}
	}
	return c, problems
}

// An AuthError is a twin's refusal of the token (HTTP 401): the one sent
// is wrong, or none was sent.
type AuthError struct {
	// URL is the route asked for.
	URL string
	// Token is the token sent (its Value empty when none was).
	Token Token
	// Msg is the twin's error message.
	Msg string
}

func (e *AuthError) Error() string {
	if e.Token.Value == "" {
		return fmt.Sprintf("the twin at %s needs its API token: give --api-token-file FILE or set %s (HTTP 401: %s)", e.URL, TokenEnv, e.Msg)
	}
	return fmt.Sprintf("the twin at %s refused the API token from %s (HTTP 401: %s)", e.URL, e.Token.Source, e.Msg)
}

// Post posts v as JSON to the route path of the API, with the token, and
// returns the answer's status and body (at most limit bytes), waiting at
// most timeout. A 401 is an *AuthError.
func (c *Client) Post(ctx context.Context, path string, v any, timeout time.Duration, limit int64) (int, []byte, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return 0, nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	endpoint := c.Base.JoinPath(path).String()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if c.Token.Value != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token.Value)
	}
	resp, err := c.http.Do(req)
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
	if resp.StatusCode == http.StatusUnauthorized {
		var e struct{ Error string }
		if json.Unmarshal(answer, &e) != nil || e.Error == "" {
			e.Error = string(bytes.TrimSpace(answer))
		}
		return resp.StatusCode, answer, &AuthError{URL: endpoint, Token: c.Token, Msg: e.Error}
	}
	return resp.StatusCode, answer, nil
}
