namespace Pipeline.EndToEnd.Tests;

/// <summary>End-to-end tests start several .NET processes each; running them one at a time keeps a two-core
/// machine responsive and their start-up times predictable.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndCollection
{
    public const string Name = "end-to-end";
}
