package stations

// ring is a FIFO queue on a growable circular slice. It allocates only when
// it grows past its largest size so far. Its length is zero or a power of
// two, so positions wrap with a mask rather than a division.
type ring[T any] struct {
	buf  []T
	head int
	n    int
}

func (r *ring[T]) Len() int { return r.n }

func (r *ring[T]) Push(v T) {
	if r.n == len(r.buf) {
		r.grow()
	}
	r.buf[(r.head+r.n)&(len(r.buf)-1)] = v
	r.n++
}

// Pop removes and returns the oldest element; the queue must not be empty.
func (r *ring[T]) Pop() T {
	v := r.buf[r.head]
	var zero T
	r.buf[r.head] = zero
	r.head = (r.head + 1) & (len(r.buf) - 1)
	r.n--
	return v
}

// Front returns the oldest element; the queue must not be empty.
func (r *ring[T]) Front() *T { return &r.buf[r.head] }

// At returns the i-th oldest element.
func (r *ring[T]) At(i int) T { return r.buf[(r.head+i)&(len(r.buf)-1)] }

func (r *ring[T]) grow() {
	n := 2 * len(r.buf)
	if n == 0 {
		n = 8
	}
	b := make([]T, n)
	for i := 0; i < r.n; i++ {
		b[i] = r.buf[(r.head+i)&(len(r.buf)-1)]
	}
	r.buf, r.head = b, 0
}
