// Package report turns the results of batch runs and sweeps into an HTML page
// with charts, for analysts who want pictures they can put on a slide.
//
// The charts are drawn from the package's own plain input types (Batch,
// Station, KPI, Sweep, SweepPoint), so that drawing depends on no simulation
// code; FromBatch and FromSweep fill them from the results of
// twin/experiment. WriteBatch and WriteSweep render every chart with
// gonum/plot as a PNG, using Go's own fonts, and write an index.html that
// references the charts by relative path, has no JavaScript and can be opened
// straight from disk or copied elsewhere as a directory.
//
// Writing is all-or-nothing at the level of the page: everything is first
// rendered into a temporary directory beside the destination. A new
// destination is created by renaming that directory into place; an existing
// one receives the charts first and index.html last, each by a rename, so a
// failure never leaves an index.html that points at missing or half-written
// charts.
package report
