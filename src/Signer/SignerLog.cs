namespace Pipeline.Signer;

internal static partial class SignerLog
{
    [LoggerMessage(1, LogLevel.Information, "Signed {MessageId} ({Signatures}) for VirtualMTA {VirtualMta}")]
    public static partial void Signed(ILogger logger, Guid messageId, string signatures, string virtualMta);

    [LoggerMessage(2, LogLevel.Information, "No DKIM key for author domain {Domain}: {MessageId} passes through unsigned")]
    public static partial void Unsigned(ILogger logger, Guid messageId, string domain);

    [LoggerMessage(3, LogLevel.Information, "DKIM key loaded: d={Domain} s={Selector} a={Algorithm}")]
    public static partial void KeyLoaded(ILogger logger, string domain, string selector, string algorithm);

    [LoggerMessage(4, LogLevel.Warning, "Created DKIM key {KeyFile}; publish this DNS record:\n{TxtRecord}")]
    public static partial void KeyGenerated(ILogger logger, string keyFile, string txtRecord);
}
