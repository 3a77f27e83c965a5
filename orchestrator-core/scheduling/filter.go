package scheduling

// insideMask reports whether every device lies in mask. An empty mask
// allows anything; under a non-empty mask a replica that reports no
// devices cannot be shown to be inside it, so it is outside.
func insideMask(devices, mask []int) bool {
	if len(mask) == 0 {
		return true // no mask configured: any device
	}
	if len(devices) == 0 {
		return false
	}
	for _, d := range devices {
		if !contains(mask, d) {
			return false
		}
	}
	return true
}

// hasFeatures reports whether features include streaming (when
// required) and every extension.
func hasFeatures(features []string, streaming bool, exts []string) bool {
	if streaming && !contains(features, FeatureStreaming) {
		return false
	}
	for _, e := range exts {
		if !contains(features, e) {
			return false
		}
	}
	return true
}

func contains[T comparable](s []T, v T) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
