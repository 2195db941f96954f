using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace ModelMeter.Application.Tests.Alerts;

/// <summary>A real HTTP listener on loopback that records every request, and answers 500 to the first <c>failFirst</c>.</summary>
internal sealed class LocalReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private int _failuresLeft;

    public LocalReceiver(int failFirst = 0)
    {
        _failuresLeft = failFirst;
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(Serve);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/hook";

    /// <summary>Every request, answered or failed, in arrival order.</summary>
    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>The requests answered 200.</summary>
    public IReadOnlyList<Received> Accepted => Requests.Where(r => r.Status == 200).ToList();

    public static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body).ConfigureAwait(false);
            var status = Interlocked.Decrement(ref _failuresLeft) >= 0 ? 500 : 200;
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => context.Request.Headers[k] ?? "", StringComparer.OrdinalIgnoreCase);
            Requests.Enqueue(new Received(context.Request.Url!.AbsolutePath, headers, body.ToArray(), status));
            context.Response.StatusCode = status;
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}

internal sealed record Received(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body, int Status)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Body);
}
