namespace Pipeline.Shared.Hosting;

/// <summary>Endpoint metadata: the least access level the endpoint needs. Endpoints without it need
/// <see cref="HttpAccessLevel.Monitor"/> to read (GET, HEAD) and <see cref="HttpAccessLevel.Admin"/> for anything
/// else, so a new endpoint is never open by accident.</summary>
public sealed record HttpAccessRequirement(HttpAccessLevel Level);
