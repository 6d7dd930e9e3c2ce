using System.IO.Compression;
using Pipeline.Shared.Configuration;

namespace Pipeline.BounceProcessor.Accounting;

/// <summary>Finds every accounting line of one message across the accounting files, PowerMTA's "trace a message":
/// the open <c>*.csv</c> files and the closed ones gzipped to <c>*.csv.gz</c>, oldest first. A line matches when its
/// <c>messageId</c> (the Message-ID header, with or without angle brackets) or its <c>pipelineId</c> (the pipeline's
/// id, 32 hex digits or a GUID in any form) is the one asked for. Fields are read by the file's own header row, so
/// files written by older or newer versions (fields added at the end) read alike.</summary>
public sealed class AccountingTrace(PipelineOptions options)
{
    private readonly string _directory = Path.GetFullPath(options.BounceProcessor.AccountingDirectory);

    /// <summary>One matching line: the file it is in and its fields by header name.</summary>
    public sealed record TracedRecord(string File, IReadOnlyDictionary<string, string> Fields);

    public async Task<IReadOnlyList<TracedRecord>> FindAsync(string id, CancellationToken cancellationToken)
    {
        var wanted = Normalise(id);
        var found = new List<TracedRecord>();
        if (!Directory.Exists(_directory)) return found;
        var files = Directory.EnumerateFiles(_directory, "*.csv").Concat(Directory.EnumerateFiles(_directory, "*.csv.gz"))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            try
            {
                await ScanAsync(file, wanted, found, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or InvalidDataException)
            {
                // Rotated away (gzip replaced the .csv) or a torn gzip: the other files still answer.
                continue;
            }
        }
        return found;
    }

    private static async Task ScanAsync(string path, string wanted, List<TracedRecord> found, CancellationToken cancellationToken)
    {
        // ReadWrite: the BounceProcessor appends to today's file while we read it.
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 65536, useAsync: true);
        Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        await using var _ = stream.ConfigureAwait(false);
        using var reader = new StreamReader(stream);
        if (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is not { } header) return;
        var names = CsvLine.Parse(header);
        var messageId = names.IndexOf("messageId");
        var pipelineId = names.IndexOf("pipelineId");
        if (messageId < 0 && pipelineId < 0) return;
        var name = Path.GetFileName(path);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            // Cheap test first: the id's text must occur in the line at all.
            if (!line.Contains(wanted, StringComparison.OrdinalIgnoreCase)) continue;
            var fields = CsvLine.Parse(line);
            if (!Matches(fields, messageId, wanted) && !Matches(fields, pipelineId, wanted)) continue;
            var record = new Dictionary<string, string>(names.Count);
            for (int i = 0; i < names.Count && i < fields.Count; i++) record[names[i]] = fields[i];
            found.Add(new TracedRecord(name, record));
        }
    }

    private static bool Matches(List<string> fields, int index, string wanted) =>
        index >= 0 && index < fields.Count && Normalise(fields[index]).Equals(wanted, StringComparison.OrdinalIgnoreCase);

    /// <summary>A GUID in the log's form (32 hex digits); a Message-ID without its angle brackets.</summary>
    private static string Normalise(string id)
    {
        var trimmed = id.Trim();
        if (Guid.TryParse(trimmed, out var guid)) return guid.ToString("N");
        return trimmed.TrimStart('<').TrimEnd('>');
    }
}
