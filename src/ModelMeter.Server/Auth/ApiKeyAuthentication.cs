using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ModelMeter.Application.Access;
using ModelMeter.Server.Hosting;

namespace ModelMeter.Server.Auth;

/// <summary>
/// API keys: <c>Authorization: Bearer KEY</c> (or <c>X-Api-Key: KEY</c>) for the API and Prometheus, the
/// <see cref="Cookie"/> the dashboard's login page sets for browsers. With <c>serve --no-auth</c> every caller is an
/// anonymous admin.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyVerifier verifier,
    IOptions<ServerSettings> settings,
    IProblemDetailsService problems) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public new const string Scheme = "ApiKey";
    public const string Cookie = "modelmeter_key";
    public const string TeamClaim = "modelmeter:team";
    public const string CanWriteClaim = "modelmeter:can_write_usage";
    public const string KeyIdClaim = "modelmeter:key_id";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (settings.Value.NoAuth)
        {
            return Task.FromResult(Success(new ApiKeyPrincipal("anonymous", null, ApiKeyRole.Admin)));
        }

        var presented = Presented();
        if (presented is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var principal = verifier.Verify(presented);
        return Task.FromResult(principal is null ? AuthenticateResult.Fail("Unknown or revoked API key.") : Success(principal));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (!IsApi(Request))
        {
            Response.Redirect("/login?returnUrl=" + Uri.EscapeDataString(Request.Path + Request.QueryString));
            return;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails
            {
                Status = 401,
                Title = "An API key is needed",
                Detail = Presented() is null
                    ? "Send an API key as `Authorization: Bearer KEY` (create one with `modelmeter keys create --team TEAM --role viewer`)."
                    : "The API key is unknown or revoked (`modelmeter keys list` shows the live ones).",
            },
        }).ConfigureAwait(false);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        var team = Context.User.FindFirstValue(TeamClaim);
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails
            {
                Status = 403,
                Title = "Not for this API key",
                Detail = Request.Path.StartsWithSegments("/api/v1/usage")
                    ? "Posting usage needs a key with --role writer or admin."
                    : team is not null ? $"This covers every team; this API key reads team '{team}' only." : "This API key may not do this.",
            },
        }).ConfigureAwait(false);
    }

    private static bool IsApi(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/metrics") || request.Path.StartsWithSegments("/openapi");

    private string? Presented()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header[7..].Trim();
        }

        if (Request.Headers.TryGetValue("X-Api-Key", out var key) && key.Count > 0)
        {
            return key[0]?.Trim();
        }

        return Request.Cookies.TryGetValue(Cookie, out var cookie) ? cookie : null;
    }

    private static AuthenticateResult Success(ApiKeyPrincipal key)
    {
        var claims = new List<Claim> { new(KeyIdClaim, key.Id), new(ClaimTypes.Role, key.Role.ToString().ToLowerInvariant()), new(CanWriteClaim, key.CanWriteUsage ? "true" : "false") };
        if (key.Team is not null)
        {
            claims.Add(new Claim(TeamClaim, key.Team));
        }

        var identity = new ClaimsIdentity(claims, Scheme, KeyIdClaim, ClaimTypes.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme));
    }
}

/// <summary>The caller's scope, as every use case takes it.</summary>
public static class CallerExtensions
{
    public static AccessScope Access(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindFirstValue(ApiKeyAuthentication.TeamClaim) is { } team ? AccessScope.ForTeam(team) : AccessScope.Everything;
    }
}
