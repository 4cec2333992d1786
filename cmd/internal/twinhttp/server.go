package twinhttp

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/lightsout-sim/lightsout/twin/api"
)

// maxHeaderBytes bounds a request's header: the API's requests are a line
// and a few headers.
const maxHeaderBytes = 32 << 10

// shutdownGrace is how long Close waits for the answers in flight.
const shutdownGrace = 5 * time.Second

// A Server is the twin's HTTP API being served.
type Server struct {
	// URL is the API's base URL, http:// or https:// with the address
	// listened on.
	URL string

	srv    *http.Server
	cancel context.CancelFunc // ends every request's context
	done   chan struct{}      // closed when Serve has returned
	once   sync.Once          // Close's work is done once
}

// Start listens on s.Addr and serves the API that handler builds for
// s.Policy (with the address listened on as its Addr), with every server
// timeout of s.Timeouts, until [Server.Close]. It logs the API's URL and
// s.Warnings. A listening error is a *net.OpError.
func Start(s Settings, handler func(api.Policy) (http.Handler, error), log *zap.Logger) (*Server, error) {
	ln, err := net.Listen("tcp", s.Addr)
	if err != nil {
		return nil, err
	}
	p := s.Policy
	p.Addr = ln.Addr().String()
	h, err := handler(p)
	if err != nil {
		ln.Close()
		return nil, err
	}
	base, cancel := context.WithCancel(context.Background())
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: s.Timeouts.ReadHeader,
		ReadTimeout:       s.Timeouts.Read,
		WriteTimeout:      s.Timeouts.Write,
		IdleTimeout:       s.Timeouts.Idle,
		MaxHeaderBytes:    maxHeaderBytes,
		BaseContext:       func(net.Listener) context.Context { return base },
		ErrorLog:          zap.NewStdLog(log.Named("http")),
	}
	scheme := "http://"
	if s.TLS != nil {
		srv.TLSConfig = s.TLS
		ln = tls.NewListener(ln, s.TLS)
		scheme = "https://"
	}
	out := &Server{URL: scheme + p.Addr, srv: srv, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(out.done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("twin: HTTP server", zap.Error(err))
		}
	}()
	for _, w := range s.Warnings {
		log.Warn("twin: " + w)
	}
	switch {
	case p.Open:
	case p.Token == "":
		log.Info("twin: no API token: commands, what-ifs and forecasts with parameters are refused (give --api-token-file or " + TokenEnv + ")")
	default:
		log.Info("twin: commands, what-ifs and forecasts with parameters need the API token", zap.String("token", s.Token.Source))
	}
	log.Info("twin: HTTP API", zap.String("url", out.URL+"/api/state"))
	return out, nil
}

// Close shuts the server down: it ends every request's context, so
// forecasts in progress stop, waits a few seconds for the answers in
// flight, then closes every connection. Calls after the first return at
// once.
func (s *Server) Close() {
	s.once.Do(func() {
		s.cancel()
		ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		if err := s.srv.Shutdown(ctx); err != nil {
			_ = s.srv.Close()
		}
		<-s.done
	})
}
