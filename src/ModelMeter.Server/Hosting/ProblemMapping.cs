using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using ModelMeter.Application.Access;
using ModelMeter.Application.Usage;
using ModelMeter.Core.Errors;
using ModelMeter.Server.Metrics;

namespace ModelMeter.Server.Hosting;

/// <summary>
/// Errors as RFC 7807 problem details, with the message the CLI prints for the same mistake: a use case's
/// <see cref="UserInputException"/> is the caller's (400), never a stack trace.
/// </summary>
internal sealed class ProblemMapping(IProblemDetailsService problems, ServerMetrics metrics) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title) = exception switch
        {
            UsageBatchRefusedException { Forbidden: true } => (StatusCodes.Status403Forbidden, "The batch holds another team's usage"),
            UsageBatchRefusedException => (StatusCodes.Status400BadRequest, "The batch was refused"),
            IdempotencyKeyReusedException => (StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused for another batch"),
            UserInputException => (StatusCodes.Status400BadRequest, "Bad input"),
            AccessDeniedException => (StatusCodes.Status403Forbidden, "Not for this API key"),
            UsageQueueFullException => (StatusCodes.Status429TooManyRequests, "The usage queue is full"),
            UsageWriteFailedException => (StatusCodes.Status503ServiceUnavailable, "The store could not write the batch"),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (StatusCodes.Status413PayloadTooLarge, "The request body is too large"),
            BadHttpRequestException bad => (bad.StatusCode, "Bad request"),
            _ => (0, ""),
        };
        if (status == 0)
        {
            return false;
        }

        var details = new ProblemDetails { Status = status, Title = title, Detail = exception.Message, Instance = httpContext.Request.Path };
        switch (exception)
        {
            case UsageBatchRefusedException refused:
                details.Extensions["problems"] = refused.Problems.Select(p => new { index = p.Index, reason = p.Reason }).ToList();
                details.Extensions["problem_count"] = refused.ProblemCount;
                metrics.RecordRefused(refused.Forbidden ? "forbidden" : "invalid");
                break;
            case UsageQueueFullException full:
                httpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(full.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                metrics.RecordRefused("queue_full");
                break;
            case IdempotencyKeyReusedException:
                metrics.RecordRefused("key_reused");
                break;
            case BadHttpRequestException when httpContext.Request.Path.StartsWithSegments("/api/v1/usage"):
                metrics.RecordRefused("too_large");
                break;
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = details, Exception = exception }).ConfigureAwait(false);
    }
}
