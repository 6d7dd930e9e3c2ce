namespace Pipeline.Dispatcher.Traffic;

/// <summary>One connection limit a new connection must fit under: a lease set and its size.</summary>
public readonly record struct ConnectionSlot(string Key, int Limit);
