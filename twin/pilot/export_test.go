package pilot

// SlowingConfig is a line whose press slows as it wears (its cycle takes up to
// two and a half times as long when worn out), far above its modest target,
// so that only a deviation makes the policy forecast act.
const SlowingConfig = `name: slowing
lines: 1
target_per_hour: 10
source: {}
stations:
  - id: press
    cycle: normal(60s,3s)
    wear:
      life: 30h
      cv: 0.2
      slowdown: 1.5
      replace: 1h
      maintain: 30m
      sensor: {kind: vibration, every: 10m, new: 1, worn: 5, noise: 0.1}
  - id: pack
    buffer: 10
    cycle: normal(30s,2s)
`
