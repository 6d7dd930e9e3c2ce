namespace Pipeline.Cli;

/// <summary>A queue as PowerMTA writes it: <c>vmta/domain</c> (e.g. <c>mta1/gmail.com</c>).</summary>
public readonly record struct QueueName(string VirtualMta, string Domain)
{
    public static QueueName Parse(string text)
    {
        var slash = text.IndexOf('/');
        if (slash <= 0 || slash == text.Length - 1 || text.IndexOf('/', slash + 1) >= 0)
            throw new UsageException($"'{text}' is not a queue: write it as <vmta>/<domain>, e.g. mta1/gmail.com");
        return new QueueName(text[..slash], text[(slash + 1)..]);
    }

    /// <summary>The API path of the queue, each part escaped.</summary>
    public string Path => $"api/v1/queues/{Uri.EscapeDataString(VirtualMta)}/{Uri.EscapeDataString(Domain)}";

    public override string ToString() => $"{VirtualMta}/{Domain}";
}
