using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Ingest.Security;

/// <summary>Password hashes of SMTP AUTH users: <c>pbkdf2-sha256$iterations$salt$hash</c>, salt and hash in base64
/// (PBKDF2 with HMAC-SHA256, RFC 8018). Made by <c>dotnet run --project src/Ingest -- hash-password</c>.</summary>
public static class PasswordHash
{
    public const string Scheme = "pbkdf2-sha256";
    public const int DefaultIterations = 210_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string Create(string password, int iterations = DefaultIterations)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return $"{Scheme}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>True when <paramref name="password"/> matches; false for a wrong password or a malformed hash.</summary>
    public static bool Verify(string password, string encoded)
    {
        if (encoded.Split('$') is not [Scheme, var iterationText, var saltText, var hashText]) return false;
        if (!int.TryParse(iterationText, out var iterations) || iterations <= 0) return false;
        byte[] salt, expected;
        try
        {
            salt = Convert.FromBase64String(saltText);
            expected = Convert.FromBase64String(hashText);
        }
        catch (FormatException)
        {
            return false;
        }
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
