// Example bots shipped with tgbotd: the echo bot (default) and the bank bot.
