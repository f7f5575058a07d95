namespace PreferenceCenter.Domain.OptIns;

/// <summary>
/// The texts behind a grant made by reply (double opt-in): what started it, the exact request and the exact reply, with
/// the provider's message ids. <see cref="EvidenceSha256"/> is the digest the grant's sealed reason carries.
/// </summary>
public sealed record OptInConversation(
    string Source,
    string RequestedBy,
    string? KeywordText,
    string? KeywordMessageSid,
    string RequestText,
    DateTimeOffset SentAt,
    string ReplyText,
    string ReplyMessageSid,
    DateTimeOffset RepliedAt)
{
    public string EvidenceSha256 => OptInRequest.EvidenceSha256(RequestText, ReplyText, KeywordMessageSid, ReplyMessageSid);

    public static OptInConversation? Of(OptInRequest request) =>
        request is { Status: OptInRequestStatus.Confirmed, ReplyText: { } reply, ReplyMessageSid: { } sid, ResolvedAt: { } at }
            ? new OptInConversation(request.Source, request.RequestedBy, request.KeywordText, request.KeywordMessageSid, request.RequestText, request.CreatedAt, reply, sid, at)
            : null;
}
