// Package logging builds the zap logger of Lightsout's commands from their
// --log-format and --log-level flags. The commands build it once, at the
// edge, and pass it down; nothing below cmd creates a logger.
package logging

import (
	"fmt"
	"io"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// New returns a logger writing human-readable lines (format "console") or
// JSON objects ("json") to w, at level and above. A bad format or level is
// an error naming its flag.
func New(w io.Writer, format, level string) (*zap.Logger, error) {
	lvl, err := zapcore.ParseLevel(level)
	if err != nil || lvl > zapcore.FatalLevel {
		return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", level)
	}
	var enc zapcore.Encoder
	switch format {
	case "console":
		cfg := zap.NewDevelopmentEncoderConfig()
		cfg.EncodeTime = zapcore.TimeEncoderOfLayout(time.TimeOnly)
		cfg.EncodeLevel = zapcore.CapitalLevelEncoder
		cfg.CallerKey = zapcore.OmitKey
		cfg.StacktraceKey = zapcore.OmitKey
		enc = zapcore.NewConsoleEncoder(cfg)
	case "json":
		cfg := zap.NewProductionEncoderConfig()
		cfg.EncodeTime = zapcore.RFC3339NanoTimeEncoder
		cfg.CallerKey = zapcore.OmitKey
		enc = zapcore.NewJSONEncoder(cfg)
	default:
		return nil, fmt.Errorf("--log-format %q: want console or json", format)
	}
	sink := zapcore.AddSync(w)
	return zap.New(zapcore.NewCore(enc, sink, lvl), zap.ErrorOutput(sink)), nil
}
