using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ModelMeter.Core.Errors;

namespace ModelMeter.Store.ClickHouse;

/// <summary>
/// One ClickHouse server's HTTP interface, and all of it ModelMeter uses: a statement in a POST body, results as
/// <c>JSONEachRow</c>, inserts as <c>TabSeparated</c> data under an <c>INSERT ... FORMAT TabSeparated</c> in the URL.
/// </summary>
/// <remarks>
/// Every request sets <c>wait_end_of_query=1</c>: the server buffers the whole result before it answers, so a failure
/// anywhere in a query (a shard dying half-way through a distributed aggregation) is an HTTP error status, never an
/// exception text appended to a 200 response that has already been partly read as figures. The response is then parsed
/// strictly: a line that is not a JSON object fails the query. Requests carry a query id, so a cancelled query is
/// killed on the server rather than left running.
/// </remarks>
internal sealed class ClickHouseServer(HttpClient http, Uri endpoint, string? user, string? password)
{
    private readonly AuthenticationHeaderValue? _authorization = user is null && password is null
        ? null
        : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user ?? "default"}:{password}")));

    public Uri Endpoint { get; } = endpoint;

    /// <summary>Runs a statement that returns nothing (DDL, INSERT ... VALUES/SELECT).</summary>
    public void Execute(string sql, CancellationToken cancellationToken = default)
    {
        using var response = Send(sql, null, cancellationToken);
    }

    /// <summary>Runs a SELECT and returns its rows (the statement must not have a FORMAT clause).</summary>
    public IReadOnlyList<Row> Query(string sql, CancellationToken cancellationToken = default)
    {
        using var response = Send(sql + "\nFORMAT JSONEachRow", null, cancellationToken);
        var body = ReadBody(response, cancellationToken);
        var rows = new List<Row>();
        foreach (var line in body.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            try
            {
                using var document = JsonDocument.Parse(line);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new JsonException("not an object");
                }

                rows.Add(new Row(document.RootElement.Clone()));
            }
            catch (JsonException e)
            {
                throw new StoreUnavailableException($"ClickHouse {Endpoint} answered a query with something other than its rows: {Shorten(line)}", e);
            }
        }

        return rows;
    }

    /// <summary>
    /// Sends rows in TabSeparated format to <paramref name="insert"/> (<c>INSERT INTO t (c, ...) FORMAT TabSeparated</c>),
    /// streamed from <paramref name="data"/> as it is produced.
    /// </summary>
    public async Task InsertAsync(string insert, HttpContent data, CancellationToken cancellationToken)
    {
        using var request = Request(insert, data, inUrl: true, queryId: out _, settings: InsertSettings);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw Unreachable(e);
        }

        using (response)
        {
            if (response.StatusCode != HttpStatusCode.OK)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                throw Refused(text);
            }
        }
    }

    // Blocks of half a million rows: few parts per import (a part per block and partition), bounded server memory.
    private const string InsertSettings = "&max_insert_block_size=524288";

    private HttpResponseMessage Send(string sql, HttpContent? data, CancellationToken cancellationToken)
    {
        using var request = data is null
            ? Request(null, new StringContent(sql, Encoding.UTF8, "text/plain"), inUrl: false, queryId: out var queryId)
            : Request(sql, data, inUrl: true, queryId: out queryId);
        HttpResponseMessage response;
        try
        {
            response = http.Send(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw Unreachable(e);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Kill(queryId);
            throw;
        }

        if (response.StatusCode != HttpStatusCode.OK)
        {
            using (response)
            {
                throw Refused(ReadBody(response, cancellationToken));
            }
        }

        return response;
    }

    private HttpRequestMessage Request(string? query, HttpContent content, bool inUrl) => Request(query, content, inUrl, out _);

    private HttpRequestMessage Request(string? query, HttpContent content, bool inUrl, out string queryId, string settings = "")
    {
        queryId = "modelmeter-" + Guid.NewGuid().ToString("N");
        var url = new StringBuilder(Endpoint.GetLeftPart(UriPartial.Authority))
            .Append("/?wait_end_of_query=1&query_id=").Append(queryId).Append(settings);
        if (inUrl && query is not null)
        {
            url.Append("&query=").Append(Uri.EscapeDataString(query));
        }

        var request = new HttpRequestMessage(HttpMethod.Post, url.ToString()) { Content = content };
        request.Headers.Authorization = _authorization;
        return request;
    }

    /// <summary>Ends a query the caller gave up on (best effort: the server may already have finished it).</summary>
    private void Kill(string queryId)
    {
        try
        {
            using var request = Request(null, new StringContent($"KILL QUERY WHERE query_id = {Sql.Literal(queryId)} ASYNC"), inUrl: false);
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            using var _ = http.Send(request, cancel.Token);
        }
        catch (HttpRequestException)
        {
            // The server is gone: so is the query.
        }
        catch (OperationCanceledException)
        {
            // Best effort only.
        }
    }

    private static string ReadBody(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var stream = response.Content.ReadAsStream(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private StoreUnavailableException Unreachable(HttpRequestException e) =>
        new($"ClickHouse at {Endpoint} could not be reached ({e.Message}). Nothing was read or written; check that the server is up.", e);

    /// <summary>The server's own message, with what it means for figures when a shard could not be reached.</summary>
    private StoreUnavailableException Refused(string text)
    {
        var message = Shorten(text.Trim());
        var code = ErrorCode(message);
        var shardDown = code is 32 or 209 or 210 or 279 or 394;
        return new StoreUnavailableException(shardDown
            ? $"ClickHouse at {Endpoint}: a shard of the cluster could not be reached or stopped answering, so no figure was computed (ModelMeter never reports a total from part of the shards). Server said: {message}"
            : $"ClickHouse at {Endpoint} refused a query: {message}");
    }

    /// <summary>The code of a ClickHouse error text (<c>Code: 279, e.displayText() = ...</c>), or null.</summary>
    internal static int? ErrorCode(string text)
    {
        const string Prefix = "Code: ";
        var at = text.IndexOf(Prefix, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var digits = new string(text[(at + Prefix.Length)..].TakeWhile(char.IsAsciiDigit).ToArray());
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? code : null;
    }

    private static string Shorten(string text) => text.Length <= 600 ? text : text[..600] + " ...";
}

/// <summary>One row of a <c>JSONEachRow</c> result, read by column alias.</summary>
internal readonly struct Row(JsonElement element)
{
    public string String(string column) => NullableString(column) ?? throw new InvalidDataException($"Column {column} is NULL.");

    public string? NullableString(string column)
    {
        var value = element.GetProperty(column);
        return value.ValueKind == JsonValueKind.Null ? null : value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
    }

    /// <summary>An integer, which ClickHouse quotes when it is 64-bit (<c>output_format_json_quote_64bit_integers</c>).</summary>
    public long Int64(string column) => long.Parse(Number(column), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    public ulong UInt64(string column) => ulong.Parse(Number(column), NumberStyles.None, CultureInfo.InvariantCulture);

    public bool IsNull(string column) => element.GetProperty(column).ValueKind == JsonValueKind.Null;

    /// <summary>
    /// A Decimal, read from its exact text (quoted or not, as releases differ), without the trailing zeros of the
    /// column's fixed scale: 45.000000000000000000 reads 45, as the DuckDB store returns it, so documents agree digit for digit.
    /// </summary>
    public decimal Decimal(string column)
    {
        var text = Number(column);
        if (text.Contains('.', StringComparison.Ordinal))
        {
            text = text.TrimEnd('0').TrimEnd('.');
        }

        return decimal.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
    }

    public double Double(string column) => double.Parse(Number(column), NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>A <c>DateTime('UTC')</c> (<c>yyyy-MM-dd HH:mm:ss</c>) or a <c>Date</c>, as a UTC instant.</summary>
    public DateTime Instant(string column)
    {
        var text = String(column);
        var format = text.Length == 10 ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm:ss";
        return DateTime.ParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
    }

    public DateOnly Day(string column) => DateOnly.FromDateTime(Instant(column));

    public List<string?> Strings(string column)
    {
        var value = element.GetProperty(column);
        var list = new List<string?>(value.GetArrayLength());
        foreach (var item in value.EnumerateArray())
        {
            list.Add(item.ValueKind == JsonValueKind.Null ? null : item.GetString());
        }

        return list;
    }

    private string Number(string column)
    {
        var value = element.GetProperty(column);
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
    }
}
