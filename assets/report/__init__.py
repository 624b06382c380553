"""Report stage: the Cabinet paper and technical annex rendered from the published snapshot."""
