package twin

// Output returns the units the line shipped good and shipped in all since
// its statistics were last reset (the start, or the end of the warm-up),
// over all copies: what a forecast counts.
func (l *Line) Output() (good, shipped int64) {
	m := l.merged()
	return m.good, m.shipped
}
