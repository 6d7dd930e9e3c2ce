namespace Pipeline.Ingest.Http;

/// <summary>The 202 body: the id of the message each recipient is in.</summary>
public sealed record AcceptedMessages(IReadOnlyList<AcceptedRecipient> Messages);

public sealed record AcceptedRecipient(string Recipient, Guid Id);
