using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Pipeline.Signer.Dkim;

/// <summary>RSA PKCS#1 v1.5 signing of a SHA-256 hash straight through OpenSSL 3's EVP_PKEY_sign, with signing
/// contexts prepared once and reused. Measured on OpenSSL 3.0 (bench/run-signer.sh), System.Security.Cryptography's
/// RSA reaches about 60 % of `openssl speed rsa2048` because it prepares a new context for every signature (and
/// OpenSSL 3 then converts the key for its provider each time); a prepared context signs at openssl's own rate.
/// Used where libcrypto.so.3 is present (Linux), otherwise <see cref="RsaSigningKey"/> falls back to .NET's RSA.</summary>
internal sealed unsafe class OpenSslRsaSigner : IDisposable
{
    private const int RsaPkcs1Padding = 1; // RSA_PKCS1_PADDING in openssl/rsa.h

    private static readonly Api? Native = Api.TryLoad();
    // Plain Stack under a lock rather than ConcurrentBag: the finalizer walks it, and a ConcurrentBag's own
    // thread-local storage may already be finalized by then. The lock is held for a push or pop, next to a
    // signature of a few hundred microseconds.
    private readonly Stack<IntPtr> _contexts = new();
    private readonly Lock _lock = new();
    private IntPtr _key;

    private OpenSslRsaSigner(IntPtr key) => _key = key;

    /// <summary>A signer for the private key of <paramref name="rsa"/>, or null when OpenSSL 3 cannot be used here.</summary>
    public static OpenSslRsaSigner? TryCreate(RSA rsa)
    {
        if (Native is not { } api) return null;
        var der = rsa.ExportPkcs8PrivateKey();
        IntPtr key;
        try
        {
            fixed (byte* start = der)
            {
                byte* cursor = start;
                key = api.D2iAutoPrivateKey(IntPtr.Zero, &cursor, der.Length);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
        if (key == IntPtr.Zero)
        {
            api.ErrClearError();
            return null;
        }
        var signer = new OpenSslRsaSigner(key);
        // Proof before use: a signature that .NET's own RSA verifies.
        Span<byte> hash = stackalloc byte[32];
        RandomNumberGenerator.Fill(hash);
        var signature = new byte[(rsa.KeySize + 7) / 8];
        try
        {
            int length = signer.Sign(hash, signature);
            if (rsa.VerifyHash(hash, signature.AsSpan(0, length), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)) return signer;
        }
        catch (CryptographicException)
        {
        }
        signer.Dispose();
        return null;
    }

    public int Sign(ReadOnlySpan<byte> sha256, Span<byte> signature)
    {
        var api = Native!;
        // An EVP_PKEY_CTX is not safe for concurrent use: each call takes one from the stack (or prepares one) and
        // returns it, so there are at most as many as signatures ever ran at once.
        IntPtr context;
        lock (_lock)
        {
            if (!_contexts.TryPop(out context)) context = IntPtr.Zero;
        }
        if (context == IntPtr.Zero) context = NewContext(api);
        try
        {
            nuint length = (nuint)signature.Length;
            fixed (byte* sig = signature)
            fixed (byte* tbs = sha256)
            {
                if (api.PkeySign(context, sig, &length, tbs, (nuint)sha256.Length) != 1)
                {
                    api.ErrClearError();
                    throw new CryptographicException("OpenSSL EVP_PKEY_sign failed");
                }
            }
            return (int)length;
        }
        finally
        {
            lock (_lock) _contexts.Push(context);
        }
    }

    private IntPtr NewContext(Api api)
    {
        var key = _key;
        ObjectDisposedException.ThrowIf(key == IntPtr.Zero, this);
        var context = api.PkeyCtxNew(key, IntPtr.Zero);
        if (context != IntPtr.Zero && api.PkeySignInit(context) == 1 && api.SetRsaPadding(context, RsaPkcs1Padding) == 1
            && api.SetSignatureMd(context, api.Sha256()) == 1)
            return context;
        if (context != IntPtr.Zero) api.PkeyCtxFree(context);
        api.ErrClearError();
        throw new CryptographicException("OpenSSL could not prepare an RSA signing context");
    }

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    // Keys replaced by a reload are not disposed (a consumer may still be signing with them); the finalizer
    // frees their native memory once nothing refers to them.
    ~OpenSslRsaSigner() => Free();

    private void Free()
    {
        var key = Interlocked.Exchange(ref _key, IntPtr.Zero);
        if (key == IntPtr.Zero || Native is not { } api) return;
        lock (_lock)
        {
            while (_contexts.TryPop(out var context)) api.PkeyCtxFree(context);
        }
        api.PkeyFree(key);
    }

    /// <summary>The few libcrypto functions used, bound at run time so that a machine without OpenSSL 3 loads the
    /// Signer anyway and signs with .NET's RSA.</summary>
    private sealed class Api
    {
        public required delegate* unmanaged<IntPtr, byte**, long, IntPtr> D2iAutoPrivateKey;
        public required delegate* unmanaged<IntPtr, IntPtr, IntPtr> PkeyCtxNew;
        public required delegate* unmanaged<IntPtr, void> PkeyCtxFree;
        public required delegate* unmanaged<IntPtr, int> PkeySignInit;
        public required delegate* unmanaged<IntPtr, int, int> SetRsaPadding;
        public required delegate* unmanaged<IntPtr, IntPtr, int> SetSignatureMd;
        public required delegate* unmanaged<IntPtr> Sha256;
        public required delegate* unmanaged<IntPtr, byte*, nuint*, byte*, nuint, int> PkeySign;
        public required delegate* unmanaged<IntPtr, void> PkeyFree;
        public required delegate* unmanaged<void> ErrClearError;

        public static Api? TryLoad()
        {
            if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libcrypto.so.3", out var lib)) return null;
            try
            {
                return new Api
                {
                    D2iAutoPrivateKey = (delegate* unmanaged<IntPtr, byte**, long, IntPtr>)NativeLibrary.GetExport(lib, "d2i_AutoPrivateKey"),
                    PkeyCtxNew = (delegate* unmanaged<IntPtr, IntPtr, IntPtr>)NativeLibrary.GetExport(lib, "EVP_PKEY_CTX_new"),
                    PkeyCtxFree = (delegate* unmanaged<IntPtr, void>)NativeLibrary.GetExport(lib, "EVP_PKEY_CTX_free"),
                    PkeySignInit = (delegate* unmanaged<IntPtr, int>)NativeLibrary.GetExport(lib, "EVP_PKEY_sign_init"),
                    SetRsaPadding = (delegate* unmanaged<IntPtr, int, int>)NativeLibrary.GetExport(lib, "EVP_PKEY_CTX_set_rsa_padding"),
                    SetSignatureMd = (delegate* unmanaged<IntPtr, IntPtr, int>)NativeLibrary.GetExport(lib, "EVP_PKEY_CTX_set_signature_md"),
                    Sha256 = (delegate* unmanaged<IntPtr>)NativeLibrary.GetExport(lib, "EVP_sha256"),
                    PkeySign = (delegate* unmanaged<IntPtr, byte*, nuint*, byte*, nuint, int>)NativeLibrary.GetExport(lib, "EVP_PKEY_sign"),
                    PkeyFree = (delegate* unmanaged<IntPtr, void>)NativeLibrary.GetExport(lib, "EVP_PKEY_free"),
                    ErrClearError = (delegate* unmanaged<void>)NativeLibrary.GetExport(lib, "ERR_clear_error"),
                };
            }
            catch (EntryPointNotFoundException)
            {
                return null;
            }
        }
    }
}
