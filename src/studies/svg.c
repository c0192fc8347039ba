/* svg.c - what the plots, maps and the HTML page share: escaping, titles
 * that wrap at a width. */
#include "studies_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void ap__esc(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

/* Length of the next line of s that fits in `cols` characters: up to the
 * last space that fits, or cols bytes when one word is longer (not inside a
 * UTF-8 sequence). */
static size_t line_len(const char *s, size_t cols)
{
    size_t n = strlen(s), i, cut = 0;
    if (n <= cols)
        return n;
    for (i = 0; i <= cols; i++)
        if (s[i] == ' ')
            cut = i;
    if (cut)
        return cut;
    for (cut = cols; cut > 1 && ((unsigned char)s[cut] & 0xC0) == 0x80; cut--)
        ;
    return cut;
}

int ap__svg_wrap(FILE *f, int x, int y, int width, int px, const char *attrs, const char *text)
{
    /* about 0.58 em per character of bold sans-serif */
    size_t cols = (size_t)fmax(8, width / (0.58 * px)), n, lines = 0;
    const char *s = text ? text : "";
    if (f)
        fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"%d\" %s>", x, y, px, attrs ? attrs : "");
    do {
        char buf[1024];
        n = line_len(s, cols < sizeof buf ? cols : sizeof buf - 1);
        if (lines == 5 && strlen(s) > n) { /* enough: say the rest is cut */
            n = n > 2 ? n - 2 : n;
            memcpy(buf, s, n);
            strcpy(buf + n, " …");
        } else {
            memcpy(buf, s, n);
            buf[n] = '\0';
        }
        if (f) {
            fprintf(f, "<tspan x=\"%d\" dy=\"%d\">", x, lines ? (int)(px * 1.25) : 0);
            ap__esc(f, buf);
            fputs("</tspan>", f);
        }
        lines++;
        s += n;
        while (*s == ' ')
            s++;
        if (lines == 6)
            break;
    } while (*s);
    if (f)
        fputs("</text>\n", f);
    return y + (int)((double)(lines - 1) * px * 1.25);
}

void ap__sites_str(json_t *row, char *out, size_t cap)
{
    size_t i, len = 0;
    json_t *e;
    out[0] = '\0';
    json_array_foreach(json_object_get(row, "sites"), i, e)
        if (len < cap)
            len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? " " : "", json_string_value(e));
}
