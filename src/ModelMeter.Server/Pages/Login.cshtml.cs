using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ModelMeter.Server.Auth;

namespace ModelMeter.Server.Pages;

/// <summary>The dashboard's sign-in: an API key, kept in an HttpOnly cookie, so the browser sees what the key may read.</summary>
public sealed class LoginModel(ApiKeyVerifier verifier) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? Key { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public IActionResult OnPost()
    {
        if (string.IsNullOrWhiteSpace(Key) || verifier.Verify(Key.Trim()) is null)
        {
            Error = "That key is unknown or revoked. `modelmeter keys list` shows the live keys; `modelmeter keys create` makes one.";
            return Page();
        }

        Response.Cookies.Append(ApiKeyAuthentication.Cookie, Key.Trim(), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = Request.IsHttps,
            MaxAge = TimeSpan.FromDays(7),
        });
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }
}
