import Testing
import TGBotAPI
