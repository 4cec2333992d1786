// Package robots models robot arms that load and unload stations. An arm's
// pick-move-place time comes from the move distance and its speed and
// acceleration (a trapezoidal velocity profile) plus grip and release times.
// One arm may serve several stations, which then queue for it; arms fail on
// busy time and are repaired like stations.
package robots
