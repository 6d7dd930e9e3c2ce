namespace Pipeline.Dispatcher.Management;

/// <summary>An operator's delete stopped part way (the spool or the bus failed): <see cref="Deleted"/> recipients
/// ended; the <see cref="Returned"/> others it had taken were put back in their queue, due at once (those of the step
/// that failed may have ended already: the spool keeps whichever outcome it recorded first).</summary>
public sealed class DeleteIncompleteException(int deleted, int returned, Exception inner)
    : Exception($"delete stopped after {deleted} recipients ({inner.Message}); the {returned} others taken for it were put back in their queue", inner)
{
    public int Deleted => deleted;

    public int Returned => returned;
}
