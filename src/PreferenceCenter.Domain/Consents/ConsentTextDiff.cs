using DiffPlex;
using DiffPlex.Chunkers;

namespace PreferenceCenter.Domain.Consents;

public enum DiffKind
{
    Same,
    Removed,
    Added,
}

/// <summary>A run of words that stayed, went or came.</summary>
public sealed record DiffSegment(DiffKind Kind, string Text);

/// <summary>Word-level difference between two wordings, for the "what changed" notice (DiffPlex).</summary>
public static class ConsentTextDiff
{
    public static IReadOnlyList<DiffSegment> Words(string before, string after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var result = Differ.Instance.CreateDiffs(before, after, ignoreWhiteSpace: false, ignoreCase: false, WordChunker.Instance);
        var segments = new List<DiffSegment>();
        var a = 0;
        foreach (var block in result.DiffBlocks)
        {
            Add(segments, DiffKind.Same, result.PiecesOld, a, block.DeleteStartA - a);
            Add(segments, DiffKind.Removed, result.PiecesOld, block.DeleteStartA, block.DeleteCountA);
            Add(segments, DiffKind.Added, result.PiecesNew, block.InsertStartB, block.InsertCountB);
            a = block.DeleteStartA + block.DeleteCountA;
        }

        Add(segments, DiffKind.Same, result.PiecesOld, a, result.PiecesOld.Count - a);
        return segments;
    }

    private static void Add(List<DiffSegment> segments, DiffKind kind, IReadOnlyList<string> pieces, int start, int count)
    {
        if (count <= 0)
        {
            return;
        }

        var text = string.Concat(pieces.Skip(start).Take(count));
        if (segments.Count > 0 && segments[^1].Kind == kind)
        {
            segments[^1] = segments[^1] with { Text = segments[^1].Text + text };
        }
        else
        {
            segments.Add(new DiffSegment(kind, text));
        }
    }
}
