namespace PreferenceCenter.Web.Features.Embedding;

/// <summary>Customer-facing words of the framed page and its error page (the preferences parts have their own).</summary>
public sealed class EmbedStrings;
