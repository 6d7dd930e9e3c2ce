namespace Pipeline.Ingest.Security;

/// <summary>The hash-password verb: reads a password (the first argument, or a line from stdin so it stays out of
/// the shell history) and prints its <see cref="PasswordHash"/> for Ingest:Smtp:Users.</summary>
public static class HashPasswordCommand
{
    public static int Run(string[] args)
    {
        string? password = args.Length > 0 ? args[0] : null;
        if (password is null)
        {
            if (!Console.IsInputRedirected) Console.Error.Write("Password: ");
            password = Console.ReadLine();
        }
        if (string.IsNullOrEmpty(password))
        {
            Console.Error.WriteLine("hash-password: no password given (argument or a line on stdin)");
            return 64; // EX_USAGE
        }
        Console.WriteLine(PasswordHash.Create(password));
        return 0;
    }
}
