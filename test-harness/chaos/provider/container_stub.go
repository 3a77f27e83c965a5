package provider

import (
	"context"
	"errors"
)

// NewContainer is not available yet.
func NewContainer(ctx context.Context, o Options) (Provider, error) {
	return nil, errors.New("container provider: not built yet")
}
