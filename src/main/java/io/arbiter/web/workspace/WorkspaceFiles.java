package io.arbiter.web.workspace;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * Serves the workspace's static files ({@code src/main/webapp/ui}) at {@code /ui/}. The JAX-RS
 * application is mapped to the root ({@code /*}), which would otherwise answer these paths with
 * 404; a servlet at {@code /ui/*} is the more specific mapping. Only files of the listed types are
 * served, never a directory listing; {@code /ui/} is the sign-in page. They hold no data and need
 * no login.
 */
@WebServlet(urlPatterns = {"/ui", "/ui/*"})
public class WorkspaceFiles extends HttpServlet {

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html;charset=utf-8",
          "js", "text/javascript;charset=utf-8",
          "css", "text/css;charset=utf-8",
          "png", "image/png",
          "svg", "image/svg+xml");

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String path = request.getPathInfo();
    if (path == null) {
      response.sendRedirect(request.getContextPath() + "/ui/");
      return;
    }
    if (path.endsWith("/")) {
      path += "index.html";
    }
    int dot = path.lastIndexOf('.');
    String type = dot < 0 ? null : TYPES.get(path.substring(dot + 1));
    if (type == null || path.contains("..")) {
      response.sendError(HttpServletResponse.SC_NOT_FOUND);
      return;
    }
    try (InputStream file = getServletContext().getResourceAsStream("/ui" + path)) {
      if (file == null) {
        response.sendError(HttpServletResponse.SC_NOT_FOUND);
        return;
      }
      response.setContentType(type);
      // Pages and modules change with each release; let the browser check each time.
      response.setHeader("Cache-Control", "no-cache");
      file.transferTo(response.getOutputStream());
    }
  }
}
