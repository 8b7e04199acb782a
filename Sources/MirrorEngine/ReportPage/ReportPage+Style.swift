import Crypto
import Foundation

extension ReportPage {
    /// The page's only style sheet, inline so the file is self-contained; the policy allows it by
    /// its hash, so no other style (or script) can run even if an escape were ever missed.
    static let styleSheet = """
        :root{--ink:#1d2125;--muted:#5c6670;--line:#d9dee3;--bad:#c62828;--warn:#b26a00;--good:#2e7d32;\
        --none:#6a1b9a;font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--ink)}
        body{margin:0 auto;max-width:72rem;padding:1rem;line-height:1.4}
        h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.2rem;margin:1.5rem 0 .5rem;border-bottom:1px solid var(--line)}
        .totals{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;margin:.5rem 0;padding:0}
        .totals div{min-width:7rem}.totals dt{color:var(--muted);font-size:.8rem}.totals dd{margin:0;font-size:1.2rem}
        .facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:.5rem 0}
        .facts dt{color:var(--muted)}.facts dd{margin:0;overflow-wrap:anywhere;min-width:0}
        nav a{margin-right:1rem}
        details{border:1px solid var(--line);border-radius:6px;margin:.4rem 0;padding:.3rem .6rem}
        summary{cursor:pointer;overflow-wrap:anywhere}
        .images{list-style:none;margin:.5rem 0;padding:0;display:grid;gap:.6rem;\
        grid-template-columns:repeat(auto-fill,minmax(15rem,1fr))}
        .image{border:1px solid var(--line);border-radius:6px;padding:.4rem;overflow-wrap:anywhere;font-size:.85rem}
        .image img{display:block;width:100%;height:auto;max-height:12rem;object-fit:contain;background:#eee}
        .missing{display:block;height:4rem;background:repeating-linear-gradient(45deg,#eee,#eee 8px,#ddd 8px,#ddd 16px)}
        .verdict{font-weight:600}.mismatch .verdict{color:var(--bad)}.scaled .verdict{color:var(--warn)}
        .match .verdict{color:var(--good)}.undeclared .verdict,.unmirrored .verdict,.unknown .verdict{color:var(--none)}
        .box{display:block;width:6rem;height:auto;margin:.3rem 0}
        .box .actual{fill:#cfd8dc}.box .declared{fill:none;stroke:var(--bad);stroke-width:2}
        .muted{color:var(--muted)}code{font-size:.85em}
        .failures li{margin:.2rem 0;overflow-wrap:anywhere}
        @media (max-width:40rem){body{padding:.5rem}.images,.facts{grid-template-columns:1fr}.facts dd{margin-bottom:.3rem}}
        """

    /// `Content-Security-Policy`: nothing loads but the local images; no script at all.
    public static var contentSecurityPolicy: String {
        let hash = SHA256.hash(data: Array(styleSheet.utf8))
        let base64 = Data(hash).base64EncodedString()
        return "default-src 'none'; img-src 'self' file: data:; style-src 'sha256-\(base64)'; "
            + "base-uri 'none'; form-action 'none'"
    }
}
