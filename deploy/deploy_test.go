// Package deploy holds deployment examples; this test keeps the Kubernetes
// Job consistent with itself and with veil's flags.
package deploy

import (
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

type job struct {
	Kind string
	Spec struct {
		CompletionMode string `yaml:"completionMode"`
		Completions    int
		Parallelism    int
		Template       struct {
			Spec struct {
				RestartPolicy string `yaml:"restartPolicy"`
				Containers    []struct {
					Args []string
					Env  []struct{ Name, Value string }
				}
			}
		}
	}
}

func load(t *testing.T, path string) job {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var j job
	if err := yaml.Unmarshal(b, &j); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if j.Kind != "Job" || len(j.Spec.Template.Spec.Containers) != 1 {
		t.Fatalf("%s: not a one-container Job", path)
	}
	return j
}

func TestShardJob(t *testing.T) {
	j := load(t, "k8s/veil-shards.yaml")
	if j.Spec.CompletionMode != "Indexed" || j.Spec.Completions < 2 || j.Spec.Template.Spec.RestartPolicy != "Never" {
		t.Fatalf("%+v", j.Spec)
	}
	c := j.Spec.Template.Spec.Containers[0]
	shard := ""
	for _, e := range c.Env {
		if e.Name == "VEIL_SHARD" {
			shard = e.Value
		}
	}
	if want := "$(SHARD_INDEX)/" + strconv.Itoa(j.Spec.Completions); shard != want {
		t.Fatalf("VEIL_SHARD %q, want %q", shard, want)
	}
	args := strings.Join(c.Args, " ")
	for _, f := range []string{"run", "--resume", "--state=s3://"} {
		if !strings.Contains(args, f) {
			t.Errorf("args lack %s", f)
		}
	}
	checkFlags(t, "run", c.Args)
	m := load(t, "k8s/veil-merge.yaml")
	checkFlags(t, "report merge", m.Spec.Template.Spec.Containers[0].Args)
}

var bin string

func veil(t *testing.T) string {
	if bin == "" {
		bin = t.TempDir() + "/veil"
		if out, err := exec.Command("go", "build", "-o", bin, "../cmd/veil").CombinedOutput(); err != nil {
			t.Fatalf("build: %v\n%s", err, out)
		}
	}
	return bin
}

// checkFlags requires every --flag in args to appear in `veil CMD --help`.
func checkFlags(t *testing.T, cmd string, args []string) {
	t.Helper()
	help, err := exec.Command(veil(t), append(strings.Fields(cmd), "--help")...).CombinedOutput()
	if err != nil {
		t.Fatalf("veil %s --help: %v\n%s", cmd, err, help)
	}
	for _, a := range args {
		if m := regexp.MustCompile(`^(--[a-z0-9-]+)`).FindString(a); m != "" && !strings.Contains(string(help), m+" ") && !strings.Contains(string(help), m+"=") {
			t.Errorf("veil %s has no flag %s", cmd, m)
		}
	}
}
