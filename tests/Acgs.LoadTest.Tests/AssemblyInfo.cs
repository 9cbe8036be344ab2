// Constitutional Hash: cdd01ef066bc6cf2

using Xunit;

// Timing tests must not compete with each other for the machine's two cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
