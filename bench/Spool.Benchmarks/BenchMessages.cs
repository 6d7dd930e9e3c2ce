using System.Text;
using Pipeline.Contracts;

namespace Pipeline.Spool.Benchmarks;

internal static class BenchMessages
{
    public static readonly DateTimeOffset Start = new(2026, 3, 14, 9, 0, 0, TimeSpan.Zero);

    /// <summary>A message whose content is <paramref name="bodyBytes"/> bytes, to <paramref name="recipient"/>.</summary>
    public static MessageSigned Create(int bodyBytes, string recipient)
    {
        var header = "From: <sender@example.com>\r\nTo: <" + recipient + ">\r\nSubject: benchmark\r\n\r\n";
        var content = new byte[bodyBytes];
        content.AsSpan().Fill((byte)'x');
        Encoding.ASCII.GetBytes(header).CopyTo(content, 0);
        return new MessageSigned
        {
            MessageId = Guid.NewGuid(), AcceptedAt = Start, MailFrom = "bounces@example.com", Recipients = [recipient],
            VirtualMta = "mta1", JobId = "bench", HeaderMessageId = "m@example.com", Signatures = [], Content = content,
        };
    }
}
