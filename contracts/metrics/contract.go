package metrics

import (
	"bytes"
	_ "embed"
	"fmt"

	"gopkg.in/yaml.v3"
)

//go:embed contract.yaml
var contractYAML []byte

// Metric types.
const (
	Counter   = "counter"
	Gauge     = "gauge"
	Histogram = "histogram"
)

// Contract is the whole metrics contract.
type Contract struct {
	Version        int         `yaml:"version"`
	Fold           Fold        `yaml:"fold"`
	UnitExceptions []Exception `yaml:"unit_exceptions"`
	Labels         []Label     `yaml:"labels"`
	Metrics        []Metric    `yaml:"metrics"`
}

// Fold is the rule for label values beyond a budget: they become Value, and
// each such observation increments Metric{metric, label}.
type Fold struct {
	Value  string `yaml:"value"`
	Metric string `yaml:"metric"`
}

// Exception names a metric allowed to break promlint's base-unit rule.
type Exception struct {
	Name string `yaml:"name"`
	Why  string `yaml:"why"`
}

// Label is a label name and its cardinality budget: the most distinct
// values one metric may carry for it, the fold value not counted.
type Label struct {
	Name   string `yaml:"name"`
	Budget int    `yaml:"budget"`
	Help   string `yaml:"help"`
}

// Metric is one metric of the contract.
type Metric struct {
	Name    string    `yaml:"name"`
	Type    string    `yaml:"type"`
	Unit    string    `yaml:"unit"`
	Labels  []string  `yaml:"labels"`
	Buckets []float64 `yaml:"buckets,omitempty"`
	// Source names the observe event kinds that feed the metric.
	Source string `yaml:"source"`
	Help   string `yaml:"help"`
}

// Load parses and validates the embedded contract.
func Load() (*Contract, error) {
	return Parse(contractYAML)
}

// Parse decodes a contract strictly (unknown fields are errors) and
// validates it.
func Parse(data []byte) (*Contract, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var c Contract
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("metrics contract: %w", err)
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// YAML returns the embedded contract file.
func YAML() []byte {
	return bytes.Clone(contractYAML)
}

// Metric returns the metric called name.
func (c *Contract) Metric(name string) (Metric, bool) {
	for _, m := range c.Metrics {
		if m.Name == name {
			return m, true
		}
	}
	return Metric{}, false
}

// Budget returns the budget of label, or 0 when the contract has no such
// label.
func (c *Contract) Budget(label string) int {
	for _, l := range c.Labels {
		if l.Name == label {
			return l.Budget
		}
	}
	return 0
}

// Excepted reports whether name may keep a non-base unit.
func (c *Contract) Excepted(name string) bool {
	for _, e := range c.UnitExceptions {
		if e.Name == name {
			return true
		}
	}
	return false
}
