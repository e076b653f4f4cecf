package dev.baton.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * Subcommands by name, in the order help lists them, each made only when a command line needs it.
 *
 * <p>Picocli builds the model of every command it is given (each option's annotations, by
 * reflection, with picocli's own classes, which a class-data archive cannot hold); for every
 * command that was a third of a client command's start-up. {@link #addTo} adds, at each level, only
 * the subcommand the command line names, or all of them when it names none (help, a typo), so that
 * usage and error messages list them all.
 */
public final class Subcommands {

  private record Entry(Supplier<Object> command, Subcommands subcommands) {}

  private final Map<String, Entry> entries = new LinkedHashMap<>();

  /**
   * Adds a command without subcommands of its own (or with the ones its annotation declares).
   *
   * @param name the name it is called by
   * @param command makes the annotated command object
   * @return this
   */
  public Subcommands add(String name, Supplier<Object> command) {
    return add(name, command, new Subcommands());
  }

  /**
   * Adds a command group.
   *
   * @param name the name it is called by
   * @param command makes the annotated group object
   * @param subcommands the group's subcommands
   * @return this
   */
  public Subcommands add(String name, Supplier<Object> command, Subcommands subcommands) {
    entries.put(
        Objects.requireNonNull(name, "name"),
        new Entry(Objects.requireNonNull(command, "command"), subcommands));
    return this;
  }

  /**
   * Adds to {@code parent} the subcommand that {@code args[position]} names, with its own in the
   * same way, or every subcommand when that argument names none.
   *
   * @param parent the command line of the command these belong to
   * @param args the command line about to be run
   * @param position where in {@code args} a subcommand's name would be
   */
  void addTo(CommandLine parent, String[] args, int position) {
    String asked = position < args.length ? args[position] : "";
    boolean named = entries.containsKey(asked);
    entries.forEach(
        (name, entry) -> {
          if (!named || name.equals(asked)) {
            // Built bottom-up, as picocli builds annotated subcommands, so that the root's
            // inherited options reach every level.
            CommandLine line = new CommandLine(entry.command().get());
            entry.subcommands().addTo(line, args, named ? position + 1 : args.length);
            parent.addSubcommand(name, line);
          }
        });
  }
}
