package io.moon.images;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No container engine here to build the Dockerfiles, so this keeps them from drifting from the
 * images that are built and tested: same entrypoint, arguments, user and JDK module list.
 */
class DockerfileConsistencyIT {
    @TempDir
    Path work;

    @ParameterizedTest
    @ValueSource(strings = {"node", "operator"})
    void dockerfileMatchesTheBuiltImage(String which) throws Exception {
        Path dir = UnpackedImage.ROOT.resolve("images").resolve(which);
        List<String> lines = Files.readAllLines(dir.resolve("Dockerfile"));
        UnpackedImage image = UnpackedImage.unpack(Path.of(System.getProperty(which + ".image.tar")), work);
        assertThat(jsonArray(lines, "ENTRYPOINT")).isEqualTo(image.entrypoint());
        assertThat(jsonArray(lines, "CMD")).isEqualTo(image.cmd());
        assertThat(lines).contains("USER " + image.config().get("User").asText());
        String modules = Files.readString(dir.resolve("jdk-modules")).trim();
        assertThat(image.config().get("Labels").get("io.moon.base.modules").asText()).isEqualTo(modules);
        assertThat(String.join("\n", lines)).contains("images/" + which + "/jdk-modules");
    }

    /** The JSON form of an instruction, or an empty list when the Dockerfile has none. */
    private static List<String> jsonArray(List<String> lines, String instruction) throws Exception {
        for (String l : lines) {
            if (l.startsWith(instruction + " ")) {
                return List.of(new ObjectMapper().readValue(l.substring(instruction.length() + 1), String[].class));
            }
        }
        return List.of();
    }
}
