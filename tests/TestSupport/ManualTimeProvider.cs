namespace Pipeline.TestSupport;

/// <summary>A clock that says what the test sets (Microsoft.Extensions.TimeProvider.Testing is not on the mirror).</summary>
public sealed class ManualTimeProvider(DateTimeOffset utcNow) : TimeProvider
{
    public DateTimeOffset UtcNow { get; set; } = utcNow;

    public override DateTimeOffset GetUtcNow() => UtcNow;
}
