package pipeline

// KeptMax exposes keptMax to the external tests (budget_test.go sizes a
// file above it so that the second pass reads it again from the source).
const KeptMax = keptMax
