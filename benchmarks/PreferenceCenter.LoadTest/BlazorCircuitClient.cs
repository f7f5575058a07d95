using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace PreferenceCenter.LoadTest;

/// <summary>
/// A Blazor Server circuit driven without a browser (ADR 20): it loads the page, starts the circuit over the Blazor
/// hub with the page's component marker, acknowledges every render batch and answers every JS interop call as a
/// browser would, finds the checkboxes' change handlers in the render batches, and dispatches change events.
/// </summary>
internal sealed partial class BlazorCircuitClient : IAsyncDisposable
{
    private readonly HubConnection _hub;
    private readonly Uri _page;
    private readonly List<(ulong HandlerId, bool Checked)> _checkboxes = [];
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource<bool> _firstCheckboxes = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<bool> _firstBatch = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private (string Text, TaskCompletionSource Done)? _waitingFor;
    private long _calls;
    private long _jsObjects;

    private BlazorCircuitClient(Uri page, CookieContainer cookies)
    {
        _page = page;
        var builder = new HubConnectionBuilder().WithUrl(new Uri(page, "/_blazor"), o =>
        {
            o.Cookies = cookies;
            o.Transports = HttpTransportType.WebSockets;
        });
        builder.Services.AddSingleton<IHubProtocol, BlazorPackProtocol>();
        _hub = builder.Build();
        _hub.On<long, byte[]>("JS.RenderBatch", OnRenderBatch);
        _hub.On<long, string, string, int, long>("JS.BeginInvokeJS", OnBeginInvokeJs);
    }

    public string? CircuitId { get; private set; }

    /// <summary>The Promotions box as this client last set it (the load loop's own record).</summary>
    public bool? PromotionsChecked { get; set; }

    /// <summary>Change-event handler ids of the page's checkboxes, in document order, as last rendered.</summary>
    public IReadOnlyList<(ulong HandlerId, bool Checked)> Checkboxes
    {
        get
        {
            lock (_lock)
            {
                return [.. _checkboxes];
            }
        }
    }

    public static async Task<BlazorCircuitClient> StartAsync(Uri page, CookieContainer cookies, HttpClient http, bool waitForCheckboxes, CancellationToken cancellationToken)
    {
        var html = await http.GetStringAsync(page, cancellationToken);
        // A prerendered component has a start marker (with its descriptor) and an end marker (without): only starts count.
        var markers = Marker().Matches(html).Select(m => m.Groups["json"].Value).Where(m => m.Contains("\"descriptor\"", StringComparison.Ordinal)).ToList();
        if (markers.Count == 0)
        {
            throw new InvalidOperationException($"No interactive component marker on {page} (signed out?).");
        }

        var state = State().Match(html) is { Success: true } s ? s.Groups["state"].Value : string.Empty;
        var client = new BlazorCircuitClient(page, cookies);
        await client._hub.StartAsync(cancellationToken);
        client.CircuitId = await client._hub.InvokeAsync<string?>("StartCircuit", new Uri(page, "/").ToString(), page.ToString(), "[" + string.Join(",", markers) + "]", state, cancellationToken)
            ?? throw new InvalidOperationException("The server refused to start the circuit.");
        // Started means rendered: the page's data loaded (its checkboxes) or, for a page without any, a first batch.
        await (waitForCheckboxes ? client._firstCheckboxes.Task : client._firstBatch.Task).WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);

        return client;
    }

    /// <summary>Ticks or unticks checkbox <paramref name="index"/>; returns the time until the "Saved" status rendered.</summary>
    public async Task<TimeSpan> ToggleAsync(int index, bool check, string savedText, CancellationToken cancellationToken)
    {
        var handler = Checkboxes[index].HandlerId;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _waitingFor = (savedText, done);
        }

        var callId = Interlocked.Increment(ref _calls).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var args = $$"""[{"eventHandlerId":{{handler}},"eventName":"change","eventFieldInfo":null},{"value":{{(check ? "true" : "false")}}}]""";
        var started = Stopwatch.GetTimestamp();
        await _hub.SendAsync("BeginInvokeDotNetFromJS", callId, null, "DispatchEventAsync", 1L, args, cancellationToken);
        await done.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        return Stopwatch.GetElapsedTime(started);
    }

    public async ValueTask DisposeAsync() => await _hub.DisposeAsync();

    private void OnRenderBatch(long batchId, byte[] data)
    {
        var batch = RenderBatchReader.Read(data);
        var found = batch.CheckboxChangeHandlers();
        _firstBatch.TrySetResult(true);
        lock (_lock)
        {
            if (found.Count > 0)
            {
                _checkboxes.Clear();
                _checkboxes.AddRange(found);
                _firstCheckboxes.TrySetResult(true);
            }

            if (_waitingFor is { } waiting && batch.Strings.Contains(waiting.Text))
            {
                _waitingFor = null;
                waiting.Done.TrySetResult();
            }
        }

        // A browser acknowledges every batch; the server stops rendering to a client that does not.
        _ = _hub.SendAsync("OnRenderCompleted", batchId, null);
    }

    private void OnBeginInvokeJs(long taskId, string identifier, string argsJson, int resultType, long targetInstanceId)
    {
        // Nothing runs here; a JS object reference (a module import) gets a fresh id, everything else "undefined".
        var result = resultType == 1 ? $$"""{"__jsObjectId":{{Interlocked.Increment(ref _jsObjects)}}}""" : "null";
        _ = _hub.SendAsync("EndInvokeJSFromDotNet", taskId, true, $"[{taskId},true,{result}]");
    }

    [GeneratedRegex("<!--Blazor:(?<json>\\{.*?\\})-->", RegexOptions.Singleline)]
    private static partial Regex Marker();

    [GeneratedRegex("<!--Blazor-Server-Component-State:(?<state>.*?)-->", RegexOptions.Singleline)]
    private static partial Regex State();

    /// <summary>The Blazor hub's protocol name for the MessagePack hub protocol it speaks.</summary>
    private sealed class BlazorPackProtocol : IHubProtocol
    {
        private readonly MessagePackHubProtocol _inner = new();

        public string Name => "blazorpack";

        public int Version => _inner.Version;

        public TransferFormat TransferFormat => TransferFormat.Binary;

        public bool IsVersionSupported(int version) => _inner.IsVersionSupported(version);

        public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out HubMessage? message) => _inner.TryParseMessage(ref input, binder, out message);

        public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => _inner.WriteMessage(message, output);

        public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => _inner.GetMessageBytes(message);
    }
}

/// <summary>
/// Reads the parts of Blazor Server's binary render batch this client needs (format: RenderBatchWriter in ASP.NET
/// Core): the reference frames (fixed 20 bytes each) and the string table.
/// </summary>
internal sealed class RenderBatchReader
{
    private const int ElementFrame = 1;
    private const int AttributeFrame = 3;
    private readonly byte[] _data;
    private readonly int _framesOffset;
    private readonly int _frameCount;

    private RenderBatchReader(byte[] data, int framesOffset, IReadOnlyList<string> strings)
    {
        _data = data;
        _framesOffset = framesOffset;
        _frameCount = BitConverter.ToInt32(data, framesOffset);
        Strings = strings;
    }

    public IReadOnlyList<string> Strings { get; }

    public static RenderBatchReader Read(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var end = data.Length;
        var framesOffset = BitConverter.ToInt32(data, end - 16);
        var stringTableOffset = BitConverter.ToInt32(data, end - 4);
        var count = (end - 20 - stringTableOffset) / 4;
        var strings = new string[count];
        for (var i = 0; i < count; i++)
        {
            var position = BitConverter.ToInt32(data, stringTableOffset + (i * 4));
            using var reader = new BinaryReader(new MemoryStream(data, position, end - position), Encoding.UTF8);
            strings[i] = reader.ReadString();
        }

        return new RenderBatchReader(data, framesOffset, strings);
    }

    /// <summary>Each <c>&lt;input type="checkbox"&gt;</c> rendered in this batch with its onchange handler and checked state.</summary>
    public List<(ulong HandlerId, bool Checked)> CheckboxChangeHandlers()
    {
        var found = new List<(ulong, bool)>();
        for (var i = 0; i < _frameCount; i++)
        {
            if (Type(i) != ElementFrame || String(Int(i, 8)) != "input")
            {
                continue;
            }

            var attributes = new Dictionary<string, (string? Value, ulong Handler)>(StringComparer.Ordinal);
            for (var j = i + 1; j < _frameCount && Type(j) == AttributeFrame; j++)
            {
                if (String(Int(j, 4)) is { } name)
                {
                    attributes[name] = (String(Int(j, 8)), BitConverter.ToUInt64(_data, Frame(j) + 12));
                }
            }

            if (attributes.TryGetValue("type", out var type) && type.Value == "checkbox" && attributes.TryGetValue("onchange", out var change) && change.Handler != 0)
            {
                found.Add((change.Handler, attributes.ContainsKey("checked")));
            }
        }

        return found;
    }

    private int Frame(int index) => _framesOffset + 4 + (index * 20);

    private int Type(int index) => BitConverter.ToInt32(_data, Frame(index));

    private int Int(int index, int offset) => BitConverter.ToInt32(_data, Frame(index) + offset);

    private string? String(int index) => index >= 0 && index < Strings.Count ? Strings[index] : null;
}
