using Pipeline.Ingest.Mime;

namespace Pipeline.Ingest.Tests.Mime;

public sealed class ReceivedHeaderTests
{
    private static readonly Guid Id = Guid.Parse("0a0b0c0d-0000-1111-2222-333344445555");
    private static readonly DateTimeOffset At = new(2026, 11, 27, 1, 2, 3, TimeSpan.FromHours(2));

    [Fact]
    public void Smtp_names_the_helo_the_address_the_protocol_and_the_id_in_utc()
    {
        Assert.Equal(
            $"Received: from client.example.com ([192.0.2.7])\r\n\tby mx.example.test (Pipeline Ingest) with ESMTPSA id {Id:N};\r\n\tThu, 26 Nov 2026 23:02:03 +0000\r\n",
            ReceivedHeader.Format("client.example.com", "192.0.2.7", "mx.example.test", "ESMTPSA", Id, At));
    }

    [Fact]
    public void Http_has_no_helo_and_the_broker_no_from_clause()
    {
        Assert.StartsWith("Received: from [127.0.0.1]\r\n\tby h (Pipeline Ingest) with HTTP id ",
            ReceivedHeader.Format(null, "127.0.0.1", "h", "HTTP", Id, At));
        Assert.StartsWith("Received: by h (Pipeline Ingest) with BROKER id ",
            ReceivedHeader.Format(null, null, "h", "BROKER", Id, At));
    }

    [Fact]
    public void A_helo_name_is_kept_to_one_token()
    {
        var header = ReceivedHeader.Format("evil (fake) name", "127.0.0.1", "h", "ESMTP", Id, At);

        Assert.StartsWith("Received: from evilfakename ([127.0.0.1])\r\n", header);
    }
}
