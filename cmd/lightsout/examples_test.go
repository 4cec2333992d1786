package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/lightsout-sim/lightsout/twin/experiment"
	"go.yaml.in/yaml/v3"
)

// examplesDir holds the cluster examples, relative to this package.
const examplesDir = "../../docs/examples"

// checkCommandLine fails t unless args (after the binary's name) name a
// real subcommand and only flags it has.
func checkCommandLine(t *testing.T, where string, args []string) {
	t.Helper()
	root := newRootCmd(&app{stdout: io.Discard, stderr: &console{w: io.Discard}})
	cmd, rest, err := root.Find(args)
	if err != nil || cmd == root {
		t.Errorf("%s: %q names no lightsout command (%v)", where, args, err)
		return
	}
	for _, a := range rest {
		if !strings.HasPrefix(a, "--") {
			continue
		}
		name, _, _ := strings.Cut(strings.TrimPrefix(a, "--"), "=")
		if cmd.Flags().Lookup(name) == nil && cmd.InheritedFlags().Lookup(name) == nil {
			t.Errorf("%s: %s has no flag --%s", where, cmd.CommandPath(), name)
		}
	}
	if err := cmd.ParseFlags(rest); err != nil {
		t.Errorf("%s: %s %q: %v", where, cmd.CommandPath(), rest, err)
	}
	if cmd.Args != nil {
		if err := cmd.Args(cmd, cmd.Flags().Args()); err != nil {
			t.Errorf("%s: %s: %v", where, cmd.CommandPath(), err)
		}
	}
}

// k8sJob is the part of a Kubernetes Job the test reads.
type k8sJob struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Metadata   struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	Spec struct {
		CompletionMode string `yaml:"completionMode"`
		Completions    int    `yaml:"completions"`
		Template       struct {
			Spec struct {
				RestartPolicy   string `yaml:"restartPolicy"`
				SecurityContext struct {
					RunAsNonRoot bool `yaml:"runAsNonRoot"`
				} `yaml:"securityContext"`
				Containers []struct {
					Name    string   `yaml:"name"`
					Image   string   `yaml:"image"`
					Command []string `yaml:"command"`
					Args    []string `yaml:"args"`
				} `yaml:"containers"`
			} `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

// The Kubernetes examples are complete Jobs (a sweep and its merge) that
// name the binary the Dockerfile installs, and real commands and flags;
// the sweep's --shard /N agrees with its completions.
func TestKubernetesExamples(t *testing.T) {
	docker, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	bin := regexp.MustCompile(`(?m)^ENTRYPOINT \["([^"]+)"\]`).FindSubmatch(docker)
	if bin == nil {
		t.Fatal("Dockerfile has no ENTRYPOINT")
	}
	for _, want := range []string{"CGO_ENABLED=0", "./cmd/lightsout\n", "USER 65532", "COPY --from=build /out/lightsout " + string(bin[1])} {
		if !bytes.Contains(docker, []byte(want)) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	if bytes.Contains(docker, []byte("lightsout-view")) && !bytes.Contains(docker, []byte("# The desktop view")) {
		t.Error("Dockerfile builds the view")
	}
	kinds := map[string]bool{}
	files, _ := filepath.Glob(filepath.Join(examplesDir, "*.yaml"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(false)
		for {
			var job k8sJob
			if err := dec.Decode(&job); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if job.Kind != "Job" || job.APIVersion != "batch/v1" || job.Spec.Template.Spec.RestartPolicy == "" ||
				!job.Spec.Template.Spec.SecurityContext.RunAsNonRoot || len(job.Spec.Template.Spec.Containers) != 1 {
				t.Errorf("%s: %s %s is not a complete non-root batch/v1 Job", f, job.Kind, job.Metadata.Name)
				continue
			}
			c := job.Spec.Template.Spec.Containers[0]
			where := f + ": " + job.Metadata.Name
			if len(c.Command) != 1 || c.Command[0] != string(bin[1]) {
				t.Errorf("%s: command %q, want [%q] (the Dockerfile's binary)", where, c.Command, bin[1])
			}
			checkCommandLine(t, where, c.Args)
			kinds[c.Args[0]] = true
			if c.Args[0] == "sweep" {
				shard := ""
				for i, a := range c.Args {
					if a == "--shard" && i+1 < len(c.Args) {
						shard = c.Args[i+1]
					}
				}
				if job.Spec.CompletionMode != "Indexed" || shard != "/"+strconv.Itoa(job.Spec.Completions) {
					t.Errorf("%s: --shard %q with %s completions %d", where, shard, job.Spec.CompletionMode, job.Spec.Completions)
				}
				var envs []map[string]string
				for k := range job.Spec.Completions {
					envs = append(envs, map[string]string{experiment.EnvJobIndex: strconv.Itoa(k)})
				}
				checkShardDirs(t, where, shard, envs)
			}
		}
	}
	if !kinds["sweep"] || !kinds["merge"] {
		t.Errorf("the examples have jobs %v, want a sweep and a merge", kinds)
	}
}

// The Slurm example creates its log directory before it submits the
// array (Slurm opens --output before the task runs), submits the merge
// after it, and runs real commands and flags.
func TestSlurmExample(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(examplesDir, "sweep.slurm"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	out := regexp.MustCompile(`(?m)^#SBATCH --output=([^/\s]+)/`).FindStringSubmatch(s)
	if out == nil {
		t.Fatal("no #SBATCH --output in a directory")
	}
	mk := strings.Index(s, "mkdir -p "+out[1])
	sb := strings.Index(s, "sbatch --parsable")
	if mk < 0 || sb < 0 || mk > sb {
		t.Errorf("the script does not create %s/ before it submits itself", out[1])
	}
	n := 0
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		for _, m := range regexp.MustCompile(`lightsout ((?:sweep|merge) [^']*)`).FindAllStringSubmatch(line, -1) {
			if strings.HasPrefix(line, "#") {
				continue
			}
			args := strings.Fields(strings.ReplaceAll(m[1], `"${SLURM_CPUS_PER_TASK:-1}"`, "1"))
			checkCommandLine(t, "sweep.slurm", args)
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d lightsout commands in sweep.slurm, want the sweep and the merge", n)
	}
	arr := regexp.MustCompile(`(?m)^#SBATCH --array=(\d+)-(\d+)$`).FindStringSubmatch(s)
	if arr == nil {
		t.Fatal("no #SBATCH --array=A-B")
	}
	lo, _ := strconv.Atoi(arr[1])
	hi, _ := strconv.Atoi(arr[2])
	var envs []map[string]string
	for id := lo; id <= hi; id++ {
		envs = append(envs, map[string]string{experiment.EnvSlurmID: strconv.Itoa(id),
			experiment.EnvSlurmMin: arr[1], experiment.EnvSlurmCount: strconv.Itoa(hi - lo + 1)})
	}
	checkShardDirs(t, "sweep.slurm", "auto", envs)
}

// checkShardDirs fails t unless --shard flag, in the task environments
// envs (one per task, in order), runs shards 1 to N of N, one each: the
// directories shard-1-of-N to shard-N-of-N the examples' comments name.
func checkShardDirs(t *testing.T, where, flag string, envs []map[string]string) {
	t.Helper()
	for k, env := range envs {
		s, err := experiment.ParseShard(flag, func(v string) string { return env[v] })
		if err != nil {
			t.Errorf("%s: task %d: --shard %s: %v", where, k+1, flag, err)
			continue
		}
		if got, want := experiment.ShardDirName(s), fmt.Sprintf("shard-%d-of-%d", k+1, len(envs)); got != want {
			t.Errorf("%s: task %d writes %s, want %s", where, k+1, got, want)
		}
	}
}
