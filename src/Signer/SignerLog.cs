namespace Pipeline.Signer;

internal static partial class SignerLog
{
    [LoggerMessage(1, LogLevel.Information, "Signed {MessageId} ({Signatures}) for VirtualMTA {VirtualMta}")]
    public static partial void Signed(ILogger logger, Guid messageId, string signatures, string virtualMta);

    [LoggerMessage(2, LogLevel.Warning, "No DKIM key for author domain {Domain}: {MessageId} leaves unsigned")]
    public static partial void Unsigned(ILogger logger, Guid messageId, string domain);

    [LoggerMessage(3, LogLevel.Information, "DKIM key loaded: d={Domain} s={Selector} a={Algorithm} ({Bits} bits) c={Canonicalization}")]
    public static partial void KeyLoaded(ILogger logger, string domain, string selector, string algorithm, int bits, string canonicalization);

    [LoggerMessage(4, LogLevel.Warning, "Created DKIM key {KeyFile}; publish this DNS record:\n{TxtRecord}")]
    public static partial void KeyGenerated(ILogger logger, string keyFile, string txtRecord);

    [LoggerMessage(5, LogLevel.Information, "DKIM key file changed, new key in service: d={Domain} s={Selector} a={Algorithm} ({Bits} bits)")]
    public static partial void KeyReloaded(ILogger logger, string domain, string selector, string algorithm, int bits);

    [LoggerMessage(6, LogLevel.Error, "DKIM key file of d={Domain} s={Selector} changed but cannot be used; the previous key stays in service: {Problem}")]
    public static partial void KeyReloadFailed(ILogger logger, string domain, string selector, string problem);

    [LoggerMessage(7, LogLevel.Error, "Cannot sign {MessageId}; it goes to the error queue: {Reason}")]
    public static partial void SigningFailed(ILogger logger, Guid messageId, string reason);
}
